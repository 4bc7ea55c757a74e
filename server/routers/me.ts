import "server-only";

import { profileSchema, storageUsageSchema, updateProfileInput } from "@/contracts/me";
import { getProfile, updateProfile } from "@/server/services/me";
import { storageUsage } from "@/server/services/storage-usage";
import { createTRPCRouter, protectedProcedure } from "@/server/trpc/init";

export const meRouter = createTRPCRouter({
  get: protectedProcedure
    .output(profileSchema)
    .query(({ ctx }) => getProfile(ctx.tx, { userId: ctx.user.id })),

  /** What the caller's uploads take, against their quota and daily allowance. */
  storage: protectedProcedure
    .output(storageUsageSchema)
    .query(({ ctx }) => storageUsage(ctx.tx, { userId: ctx.user.id })),

  update: protectedProcedure
    .input(updateProfileInput)
    .output(profileSchema)
    .mutation(({ ctx, input }) => updateProfile(ctx.tx, { userId: ctx.user.id, ...input })),
});
