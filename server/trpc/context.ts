import { getAuth, type AuthSession } from "@/server/auth";

/**
 * The per-request tRPC context: the Better Auth session read from the request's cookies.
 * Database access is added by `protectedProcedure`, as an RLS-scoped transaction.
 */
export async function createTRPCContext(opts: { headers: Headers }) {
  const session: AuthSession | null = await getAuth().api.getSession({ headers: opts.headers });
  return { headers: opts.headers, session };
}

export type TRPCContext = Awaited<ReturnType<typeof createTRPCContext>>;
