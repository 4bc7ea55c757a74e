-- The two sets every chat and people policy asks for — the chats one is a member of in the
-- request's workspace, and the people of that workspace — as views instead of functions. A
-- view reads with its owner's rights, as the SECURITY DEFINER functions it replaces did, but
-- the planner inlines it into the statement: the set is one read of an index range (or, for a
-- large set, one index probe per row) rather than a function call that materialises its whole
-- result, once for every place a statement reads a table with such a policy.
-- security_barrier: a caller's own conditions on a view are never evaluated before the view's,
-- so no function of theirs sees the rows the view leaves out.
CREATE VIEW public.my_chat_memberships WITH (security_barrier) AS
  SELECT m."chatId" FROM public.chat_members m
  WHERE m."userId" = public.get_auth_user_id()
    AND m."organizationId" = public.get_current_tenant_id();
--> statement-breakpoint
REVOKE ALL ON public.my_chat_memberships FROM PUBLIC;
--> statement-breakpoint
GRANT SELECT ON public.my_chat_memberships TO authenticated;
--> statement-breakpoint
CREATE VIEW public.workspace_people WITH (security_barrier) AS
  SELECT m."userId" FROM public.member m
  WHERE m."organizationId" = public.get_current_tenant_id();
--> statement-breakpoint
REVOKE ALL ON public.workspace_people FROM PUBLIC;
--> statement-breakpoint
GRANT SELECT ON public.workspace_people TO authenticated;
--> statement-breakpoint
-- Every policy that asked my_chat_ids() asks the view instead, with the rest of its condition
-- unchanged.
DO $$
DECLARE
  p record;
  old_set constant text := '( SELECT my_chat_ids() AS my_chat_ids)';
  new_set constant text := '( SELECT my_chat_memberships."chatId" FROM public.my_chat_memberships)';
BEGIN
  FOR p IN
    SELECT schemaname, tablename, policyname, qual, with_check FROM pg_catalog.pg_policies
    WHERE schemaname = 'public' AND (qual LIKE '%my_chat_ids()%' OR with_check LIKE '%my_chat_ids()%')
  LOOP
    IF p.qual LIKE '%my_chat_ids()%' THEN
      EXECUTE format('ALTER POLICY %I ON %I.%I USING (%s)', p.policyname, p.schemaname,
        p.tablename, replace(p.qual, old_set, new_set));
    END IF;
    IF p.with_check LIKE '%my_chat_ids()%' THEN
      EXECUTE format('ALTER POLICY %I ON %I.%I WITH CHECK (%s)', p.policyname, p.schemaname,
        p.tablename, replace(p.with_check, old_set, new_set));
    END IF;
  END LOOP;
END
$$;
--> statement-breakpoint
ALTER POLICY user_select_directory ON public."user"
  USING (banned = false AND id IN (SELECT w."userId" FROM public.workspace_people w));
--> statement-breakpoint
CREATE OR REPLACE FUNCTION public.shares_chat_with(other uuid)
RETURNS boolean
LANGUAGE sql
STABLE
SECURITY DEFINER
SET search_path = ''
AS $$
  SELECT EXISTS (
    SELECT 1 FROM public.chat_members theirs
    WHERE theirs."userId" = other
      AND theirs."chatId" IN (SELECT mine."chatId" FROM public.my_chat_memberships mine)
  )
$$;
--> statement-breakpoint
-- Nothing asks them any more (a policy still asking would make these fail).
DROP FUNCTION public.my_chat_ids();
--> statement-breakpoint
DROP FUNCTION public.workspace_member_ids();
