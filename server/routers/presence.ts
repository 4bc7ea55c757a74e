import "server-only";

import { presenceSettingsSchema, updatePresenceSettingsInput } from "@/contracts/presence";
import { getPresenceSettings, updatePresenceSettings } from "@/server/services/presence";
import { createTRPCRouter, protectedProcedure } from "@/server/trpc/init";

export const presenceRouter = createTRPCRouter({
  settings: protectedProcedure
    .output(presenceSettingsSchema)
    .query(({ ctx }) => getPresenceSettings(ctx.tx, { userId: ctx.user.id })),

  update: protectedProcedure
    .input(updatePresenceSettingsInput)
    .output(presenceSettingsSchema)
    .mutation(({ ctx, input }) =>
      updatePresenceSettings(ctx.tx, { userId: ctx.user.id, ...input }),
    ),
});
