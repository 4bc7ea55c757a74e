import type { AuthSession } from "@/server/auth";
import { getRequestSession } from "@/server/auth-session";

/**
 * The per-request tRPC context: the Better Auth session read from the request's cookies.
 * Database access is added by `protectedProcedure`, as an RLS-scoped transaction.
 */
export async function createTRPCContext(opts: { headers: Headers }) {
  const session: AuthSession | null = await getRequestSession(opts.headers);
  return { headers: opts.headers, session };
}

export type TRPCContext = Awaited<ReturnType<typeof createTRPCContext>>;
