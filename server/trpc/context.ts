import "server-only";

import type { AuthSession } from "@/server/auth";
import { getRequestSession, type ResponseCookies } from "@/server/auth-session";

/**
 * The per-request tRPC context: the Better Auth session read from the request's cookies.
 * `response` takes the cookie Better Auth renews when it extends the session (HTTP calls;
 * server-side callers have no response to set cookies on). `rendering` marks calls made while
 * a server component renders, which may only read (`readOnlyWhileRendering`).
 * Database access is added by `protectedProcedure`, as an RLS-scoped transaction.
 */
export async function createTRPCContext(opts: {
  headers: Headers;
  response?: ResponseCookies;
  rendering?: boolean;
}) {
  const session: AuthSession | null = await getRequestSession(opts.headers, opts.response);
  return { headers: opts.headers, session, rendering: opts.rendering ?? false };
}

export type TRPCContext = Awaited<ReturnType<typeof createTRPCContext>>;
