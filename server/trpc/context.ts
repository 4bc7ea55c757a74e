import "server-only";

import type { AuthSession } from "@/server/auth";
import { getRequestSession, type ResponseCookies } from "@/server/auth-session";

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
  const session: AuthSession | null = await getRequestSession(opts.headers, opts.response);
  return {
    headers: opts.headers,
    session,
    rendering: opts.rendering ?? false,
    http: opts.http ?? null,
  };
}

/** A call that came over HTTP: who sent it, and a way to add a response header. */
export interface HttpCall {
  /** The client address the HTTP layer pinned, if any. */
  address: string | null;
  setHeader(name: string, value: string): void;
}

export type TRPCContext = Awaited<ReturnType<typeof createTRPCContext>>;
