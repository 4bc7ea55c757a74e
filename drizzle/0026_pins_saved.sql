-- Pinned messages (per chat, seen by its members) and saved messages (per person, seen only
-- by them, and only while they are in the message's chat). Both are rows with policies; a
-- trigger copies the chat from the message, so a row can only point into a chat its writer
-- is in, and both go when their message is deleted.
CREATE TABLE IF NOT EXISTS public.message_pins (
  "messageId" uuid PRIMARY KEY REFERENCES public.messages(id) ON DELETE CASCADE,
  "chatId" uuid NOT NULL REFERENCES public.chats(id) ON DELETE CASCADE,
  "pinnedBy" uuid REFERENCES public."user"(id) ON DELETE SET NULL,
  "pinnedAt" timestamptz DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS idx_message_pins_chat_id ON public.message_pins ("chatId", "pinnedAt");
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS idx_message_pins_pinned_by ON public.message_pins ("pinnedBy");
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS public.saved_messages (
  "userId" uuid NOT NULL REFERENCES public."user"(id) ON DELETE CASCADE,
  "messageId" uuid NOT NULL REFERENCES public.messages(id) ON DELETE CASCADE,
  "chatId" uuid NOT NULL REFERENCES public.chats(id) ON DELETE CASCADE,
  "savedAt" timestamptz DEFAULT now() NOT NULL,
  CONSTRAINT saved_messages_pkey PRIMARY KEY ("userId", "messageId")
);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS idx_saved_messages_user_saved_at ON public.saved_messages ("userId", "savedAt");
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS idx_saved_messages_message_id ON public.saved_messages ("messageId");
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS idx_saved_messages_chat_id ON public.saved_messages ("chatId", "userId");
--> statement-breakpoint
ALTER TABLE public.message_pins ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE public.saved_messages ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
REVOKE ALL ON public.message_pins, public.saved_messages FROM PUBLIC, anon, authenticated;
--> statement-breakpoint

-- A pin: the message must be a live, non-system message of one of the caller's chats (else
-- "not found", as for any row outside them); the pinner and the time are the database's.
-- At most 100 pins per chat, counted under a lock on the chat so two pins cannot both take
-- the last place. Each pin says so in the chat.
CREATE OR REPLACE FUNCTION public.message_pins_before_insert()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
  target record;
BEGIN
  SELECT m."chatId", m.seq, m.type, m."deletedAt" INTO target
  FROM public.messages m WHERE m.id = NEW."messageId";
  IF NOT FOUND OR NOT public.is_chat_member(target."chatId") THEN
    RAISE EXCEPTION 'Message not found' USING ERRCODE = 'P0002';
  END IF;
  IF target."deletedAt" IS NOT NULL THEN
    RAISE EXCEPTION 'A deleted message cannot be pinned' USING ERRCODE = '22023';
  END IF;
  IF target.type = 'system' THEN
    RAISE EXCEPTION 'A chat event cannot be pinned' USING ERRCODE = '22023';
  END IF;
  PERFORM 1 FROM public.chats c WHERE c.id = target."chatId" FOR NO KEY UPDATE;
  IF (SELECT count(*) FROM public.message_pins p WHERE p."chatId" = target."chatId") >= 100 THEN
    RAISE EXCEPTION 'A chat can have at most 100 pinned messages' USING ERRCODE = '54000';
  END IF;
  NEW."chatId" := target."chatId";
  NEW."pinnedBy" := public.get_auth_user_id();
  NEW."pinnedAt" := now();
  RETURN NEW;
END
$$;
--> statement-breakpoint
CREATE OR REPLACE TRIGGER message_pins_before_insert BEFORE INSERT ON public.message_pins
  FOR EACH ROW EXECUTE FUNCTION public.message_pins_before_insert();
--> statement-breakpoint
CREATE OR REPLACE FUNCTION public.message_pins_system_message()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = ''
AS $$
BEGIN
  PERFORM public.post_system_message(NEW."chatId", jsonb_build_object(
    'kind', 'message_pinned', 'actorId', NEW."pinnedBy", 'messageId', NEW."messageId",
    'seq', (SELECT m.seq FROM public.messages m WHERE m.id = NEW."messageId")));
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE OR REPLACE TRIGGER message_pins_system_message AFTER INSERT ON public.message_pins
  FOR EACH ROW EXECUTE FUNCTION public.message_pins_system_message();
--> statement-breakpoint
REVOKE ALL ON FUNCTION public.message_pins_before_insert(), public.message_pins_system_message() FROM PUBLIC;
--> statement-breakpoint
GRANT SELECT, DELETE ON public.message_pins TO authenticated;
--> statement-breakpoint
GRANT INSERT ("messageId") ON public.message_pins TO authenticated;
--> statement-breakpoint
CREATE POLICY message_pins_select_member ON public.message_pins FOR SELECT TO authenticated
  USING ("chatId" IN (SELECT public.my_chat_ids()));
--> statement-breakpoint
CREATE POLICY message_pins_insert_member ON public.message_pins FOR INSERT TO authenticated
  WITH CHECK ("pinnedBy" = (SELECT public.get_auth_user_id()) AND "chatId" IN (SELECT public.my_chat_ids()));
--> statement-breakpoint
-- Unpinning: whoever pinned it; in a group also its owner and admins; in a direct chat either
-- of the two.
CREATE POLICY message_pins_delete_member ON public.message_pins FOR DELETE TO authenticated
  USING (
    "chatId" IN (SELECT public.my_chat_ids())
    AND (
      "pinnedBy" = (SELECT public.get_auth_user_id())
      OR NOT (SELECT public.is_group_chat("chatId"))
      OR (SELECT public.chat_role("chatId")) IN ('owner', 'admin')
    )
  );
--> statement-breakpoint

-- A saved message: a live message of one of the caller's chats, at most 5,000 per person.
CREATE OR REPLACE FUNCTION public.saved_messages_before_insert()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
  target record;
BEGIN
  SELECT m."chatId", m.type, m."deletedAt" INTO target
  FROM public.messages m WHERE m.id = NEW."messageId";
  IF NOT FOUND OR NOT public.is_chat_member(target."chatId") THEN
    RAISE EXCEPTION 'Message not found' USING ERRCODE = 'P0002';
  END IF;
  IF target."deletedAt" IS NOT NULL THEN
    RAISE EXCEPTION 'A deleted message cannot be saved' USING ERRCODE = '22023';
  END IF;
  IF target.type = 'system' THEN
    RAISE EXCEPTION 'A chat event cannot be saved' USING ERRCODE = '22023';
  END IF;
  IF (SELECT count(*) FROM public.saved_messages s WHERE s."userId" = NEW."userId") >= 5000 THEN
    RAISE EXCEPTION 'At most 5000 messages can be saved' USING ERRCODE = '54000';
  END IF;
  NEW."chatId" := target."chatId";
  NEW."savedAt" := now();
  RETURN NEW;
END
$$;
--> statement-breakpoint
CREATE OR REPLACE TRIGGER saved_messages_before_insert BEFORE INSERT ON public.saved_messages
  FOR EACH ROW EXECUTE FUNCTION public.saved_messages_before_insert();
--> statement-breakpoint
REVOKE ALL ON FUNCTION public.saved_messages_before_insert() FROM PUBLIC;
--> statement-breakpoint
GRANT SELECT, DELETE ON public.saved_messages TO authenticated;
--> statement-breakpoint
GRANT INSERT ("userId", "messageId") ON public.saved_messages TO authenticated;
--> statement-breakpoint
CREATE POLICY saved_messages_select_own ON public.saved_messages FOR SELECT TO authenticated
  USING ("userId" = (SELECT public.get_auth_user_id()) AND "chatId" IN (SELECT public.my_chat_ids()));
--> statement-breakpoint
CREATE POLICY saved_messages_insert_own ON public.saved_messages FOR INSERT TO authenticated
  WITH CHECK ("userId" = (SELECT public.get_auth_user_id()) AND "chatId" IN (SELECT public.my_chat_ids()));
--> statement-breakpoint
CREATE POLICY saved_messages_delete_own ON public.saved_messages FOR DELETE TO authenticated
  USING ("userId" = (SELECT public.get_auth_user_id()));
--> statement-breakpoint

-- A deleted message leaves no pin and no saved copy behind; a member who leaves a chat (or
-- is removed) takes nothing of it along in their saved messages.
CREATE OR REPLACE FUNCTION public.messages_forget_pins_and_saves()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = ''
AS $$
BEGIN
  DELETE FROM public.message_pins p WHERE p."messageId" = NEW.id;
  DELETE FROM public.saved_messages s WHERE s."messageId" = NEW.id;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE OR REPLACE TRIGGER messages_forget_pins_and_saves AFTER UPDATE OF "deletedAt" ON public.messages
  FOR EACH ROW WHEN (OLD."deletedAt" IS NULL AND NEW."deletedAt" IS NOT NULL)
  EXECUTE FUNCTION public.messages_forget_pins_and_saves();
--> statement-breakpoint
CREATE OR REPLACE FUNCTION public.chat_members_forget_saves()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = ''
AS $$
BEGIN
  DELETE FROM public.saved_messages s WHERE s."chatId" = OLD."chatId" AND s."userId" = OLD."userId";
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE OR REPLACE TRIGGER chat_members_forget_saves AFTER DELETE ON public.chat_members
  FOR EACH ROW EXECUTE FUNCTION public.chat_members_forget_saves();
--> statement-breakpoint
REVOKE ALL ON FUNCTION public.messages_forget_pins_and_saves(), public.chat_members_forget_saves() FROM PUBLIC;
--> statement-breakpoint
CREATE OR REPLACE TRIGGER z_realtime_capture AFTER INSERT OR UPDATE OR DELETE ON public.message_pins
  FOR EACH ROW EXECUTE FUNCTION public.realtime_capture_change('chatId', 'messageId');
