/**
 * The chat policies as they were before workspaces, for a same-run comparison: one's chats
 * are every chat one is a member of, and people every account not banned. Run as the owner
 * inside an EXPLAIN's transaction (bench/lib/capture.ts), which rolls it back.
 */
export const TENANTLESS_POLICIES = `
CREATE OR REPLACE FUNCTION public.my_chat_ids()
RETURNS SETOF uuid LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = '' ROWS 100
AS $$
BEGIN
  RETURN QUERY
    SELECT m."chatId" FROM public.chat_members m WHERE m."userId" = public.get_auth_user_id();
END
$$;
ALTER POLICY user_select_directory ON public."user" USING (banned = false);
`;
