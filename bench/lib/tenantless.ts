import { explain, type Statement } from "./capture";
import type { BenchContext } from "./context";
import { median, round } from "./stats";

/**
 * The chat policies as they were before workspaces, for a same-run comparison: one's chats
 * are every chat one is a member of, asked of a function, and people every account not
 * banned. Run as the owner inside an EXPLAIN's transaction (bench/lib/capture.ts), which rolls
 * it back.
 */
export const TENANTLESS_POLICIES = `
CREATE FUNCTION public.my_chat_ids()
RETURNS SETOF uuid LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = '' ROWS 100
AS $$
BEGIN
  RETURN QUERY
    SELECT m."chatId" FROM public.chat_members m WHERE m."userId" = public.get_auth_user_id();
END
$$;
GRANT EXECUTE ON FUNCTION public.my_chat_ids() TO authenticated;
DO $$
DECLARE
  p record;
  view_set constant text := '\\(\\s*SELECT my_chat_memberships\\."chatId"\\s+FROM my_chat_memberships\\)';
  function_set constant text := '(SELECT public.my_chat_ids())';
BEGIN
  FOR p IN
    SELECT tablename, policyname, qual, with_check FROM pg_catalog.pg_policies
    WHERE schemaname = 'public'
      AND (qual LIKE '%my_chat_memberships%' OR with_check LIKE '%my_chat_memberships%')
  LOOP
    IF p.qual LIKE '%my_chat_memberships%' THEN
      EXECUTE format('ALTER POLICY %I ON public.%I USING (%s)', p.policyname, p.tablename,
        regexp_replace(p.qual, view_set, function_set, 'g'));
    END IF;
    IF p.with_check LIKE '%my_chat_memberships%' THEN
      EXECUTE format('ALTER POLICY %I ON public.%I WITH CHECK (%s)', p.policyname, p.tablename,
        regexp_replace(p.with_check, view_set, function_set, 'g'));
    END IF;
  END LOOP;
  IF EXISTS (SELECT 1 FROM pg_catalog.pg_policies
             WHERE qual LIKE '%my_chat_memberships%' OR with_check LIKE '%my_chat_memberships%') THEN
    RAISE EXCEPTION 'a policy still asks my_chat_memberships';
  END IF;
END
$$;
ALTER POLICY user_select_directory ON public."user" USING (banned = false);
`;

async function total(
  ctx: BenchContext,
  userId: string,
  statements: Statement[],
  setup: string | undefined,
): Promise<number> {
  let sum = 0;
  for (const statement of statements) {
    const f = await explain(ctx.db.sql, statement, {
      userId,
      asUser: true,
      timing: false,
      warm: true,
      ...(setup ? { setup } : {}),
    });
    sum += f.executionMs;
  }
  return sum;
}

/**
 * What the tenant condition costs a request's statements: DB time under today's policies and
 * under those before workspaces, alternated. Each is timed on its second run in its
 * transaction, and a discarded run of today's follows each of the others: swapping the
 * definitions in and rolling them back leaves the next transaction to plan afresh, which is
 * no part of either.
 */
export async function tenantCost(
  ctx: BenchContext,
  userId: string,
  statements: Statement[],
  runs: number,
) {
  const withTenant: number[] = [];
  const withoutTenant: number[] = [];
  for (let i = 0; i < runs; i++) {
    withoutTenant.push(await total(ctx, userId, statements, TENANTLESS_POLICIES));
    await total(ctx, userId, statements, undefined);
    withTenant.push(await total(ctx, userId, statements, undefined));
  }
  const withTenantMs = round(median(withTenant));
  const withoutTenantMs = round(median(withoutTenant));
  return {
    is: "DB time under RLS with the policies before workspaces / with today's (≥ 1: no slower)",
    statements: statements.length,
    withTenantMs,
    withoutTenantMs,
    ratio: round(withoutTenantMs / withTenantMs),
  };
}
