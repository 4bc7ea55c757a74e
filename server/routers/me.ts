import "server-only";

import { profileSchema, updateProfileInput } from "@/contracts/me";
import { getProfile, updateProfile } from "@/server/services/me";
import { createTRPCRouter, protectedProcedure } from "@/server/trpc/init";

export const meRouter = createTRPCRouter({
  get: protectedProcedure
    .output(profileSchema)
    .query(({ ctx }) => getProfile(ctx.tx, { userId: ctx.user.id })),

  update: protectedProcedure
    .input(updateProfileInput)
    .output(profileSchema)
    .mutation(({ ctx, input }) => updateProfile(ctx.tx, { userId: ctx.user.id, ...input })),
});
