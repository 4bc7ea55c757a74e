import "server-only";

import { preferencesSchema, updatePreferencesInput } from "@/contracts/preferences";
import { getPreferences, updatePreferences } from "@/server/services/preferences";
import { createTRPCRouter, protectedProcedure } from "@/server/trpc/init";

export const preferencesRouter = createTRPCRouter({
  get: protectedProcedure
    .output(preferencesSchema)
    .query(({ ctx }) => getPreferences(ctx.tx, { userId: ctx.user.id })),

  update: protectedProcedure
    .input(updatePreferencesInput)
    .output(preferencesSchema)
    .mutation(({ ctx, input }) =>
      updatePreferences(ctx.tx, { userId: ctx.user.id, changes: input }),
    ),
});
