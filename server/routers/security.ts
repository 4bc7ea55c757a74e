import "server-only";

import { TRPCError } from "@trpc/server";
import { revokeResult, revokeSessionInput, sessionList } from "@/contracts/security";
import { listMySessions, revokeMyOtherSessions, revokeMySession } from "@/server/services/sessions";
import { createTRPCRouter, publicProcedure } from "@/server/trpc/init";

/**
 * Signed-in callers, WITHOUT an RLS transaction: everything here goes through Better Auth,
 * which uses its own connection, and on embedded PGlite (one connection) an open request
 * transaction would block it. Revocations are audited by Better Auth's audit hook.
 */
const sessionOwnerProcedure = publicProcedure.use(({ ctx, next }) => {
  const session = ctx.session;
  if (!session) throw new TRPCError({ code: "UNAUTHORIZED", message: "Sign in to continue" });
  return next({
    ctx: {
      caller: {
        headers: ctx.headers,
        userId: session.user.id,
        currentSessionId: session.session.id,
      },
    },
  });
});

export const securityRouter = createTRPCRouter({
  sessions: createTRPCRouter({
    list: sessionOwnerProcedure.output(sessionList).query(({ ctx }) => listMySessions(ctx.caller)),

    revoke: sessionOwnerProcedure
      .input(revokeSessionInput)
      .output(revokeResult)
      .mutation(async ({ ctx, input }) => {
        await revokeMySession(ctx.caller, input.id);
        return { revoked: 1 };
      }),

    revokeOthers: sessionOwnerProcedure
      .output(revokeResult)
      .mutation(async ({ ctx }) => ({ revoked: await revokeMyOtherSessions(ctx.caller) })),
  }),
});
