-- Preferences: read-receipt privacy and the other user preferences the chat API applies.
--
-- Read receipts are two-way: a member who turns them off (`privacy.readReceipts` = false in
-- user_metas) shows nobody their read pointer and sees nobody else's. The rule lives here so
-- every path (tRPC, REST v1, realtime) asks the database the same question.
CREATE OR REPLACE FUNCTION public.shares_read_receipts(p_user uuid)
RETURNS boolean
LANGUAGE sql
STABLE
SECURITY DEFINER
SET search_path = ''
AS $$
  -- On unless the user stored `false`; the meta itself stays private to its owner.
  SELECT NOT EXISTS (
    SELECT 1 FROM public.user_metas um
    WHERE um."userId" = p_user
      AND um."metaKey" = 'privacy.readReceipts'
      AND um."metaValue" = 'false'::jsonb
  )
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION public.read_pointer_visible(p_member uuid)
RETURNS boolean
LANGUAGE sql
STABLE
SECURITY DEFINER
SET search_path = ''
AS $$
  -- One's own pointer is always visible; anyone else's only when both share read receipts.
  SELECT p_member = public.get_auth_user_id()
    OR (
      public.shares_read_receipts(public.get_auth_user_id())
      AND public.shares_read_receipts(p_member)
    )
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION public.read_receipts_shared_in_chat(p_chat_id uuid)
RETURNS boolean
LANGUAGE sql
STABLE
SECURITY DEFINER
SET search_path = ''
AS $$
  -- Whether a read pointer may go out on the chat's broadcast topic, which every member
  -- receives: only when every member shares read receipts. Answers only for one's own chats.
  SELECT public.is_chat_member(p_chat_id)
    AND NOT EXISTS (
      SELECT 1 FROM public.chat_members m
      WHERE m."chatId" = p_chat_id AND NOT public.shares_read_receipts(m."userId")
    )
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION public.shares_read_receipts(uuid) FROM PUBLIC;
--> statement-breakpoint
REVOKE ALL ON FUNCTION public.read_pointer_visible(uuid) FROM PUBLIC;
--> statement-breakpoint
REVOKE ALL ON FUNCTION public.read_receipts_shared_in_chat(uuid) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION public.shares_read_receipts(uuid) TO authenticated;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION public.read_pointer_visible(uuid) TO authenticated;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION public.read_receipts_shared_in_chat(uuid) TO authenticated;
