import "server-only";

import type { AuthSession } from "@/server/auth";
import { getRequestSession, type ResponseCookies } from "@/server/auth-session";
import { toTRPCError } from "@/server/errors";

/**
 * The per-request tRPC context: the Better Auth session read from the request's cookies.
 * `response` takes the cookie Better Auth renews when it extends the session (HTTP calls;
 * server-side callers have no response to set cookies on). `rendering` marks calls made while
 * a server component renders, which may only read (`readOnlyWhileRendering`). `http` is set
 * for calls that came over the network, which the rate limits count (`withinLimits`); calls
 * made in-process (server components, tests) are not counted.
 * Database access is added by `protectedProcedure`, as an RLS-scoped transaction.
 */
export async function createTRPCContext(opts: {
  headers: Headers;
  response?: ResponseCookies;
  rendering?: boolean;
  http?: HttpCall;
}) {
  // A session lookup that fails for want of the database is a 503, as a procedure's would be.
  const session: AuthSession | null = await getRequestSession(opts.headers, opts.response).catch(
    (error: unknown) => {
      throw toTRPCError(error);
    },
  );
  return {
    headers: opts.headers,
    session,
    rendering: opts.rendering ?? false,
    http: opts.http ?? null,
  };
}

/** A call that came over HTTP: who sent it. */
export interface HttpCall {
  /** The client address the HTTP layer pinned, if any. */
  address: string | null;
}

export type TRPCContext = Awaited<ReturnType<typeof createTRPCContext>>;
