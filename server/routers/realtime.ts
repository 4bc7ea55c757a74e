import "server-only";

import { realtimeTokenSchema } from "@/contracts/realtime";
import { mintAccessToken } from "@/server/realtime/tokens";
import { createTRPCRouter, protectedProcedure } from "@/server/trpc/init";

export const realtimeRouter = createTRPCRouter({
  /**
   * A fresh realtime token for the signed-in user, valid while this session lives; the client
   * refreshes before expiry.
   */
  token: protectedProcedure
    .output(realtimeTokenSchema)
    .mutation(({ ctx }) =>
      mintAccessToken(
        ctx.user.id,
        ctx.session.session.id,
        ctx.session.session.activeOrganizationId ?? null,
      ),
    ),
});
