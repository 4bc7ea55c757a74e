-- Threads: a reply in a thread is a message of its chat (it takes the chat's next seq, so
-- every message keeps one place in one gap-free order) that names the message it hangs off.
-- The chat's timeline leaves replies out; they count towards neither the chat's unread count
-- nor its last activity. A thread's totals and each member's following and read pointer are
-- rows with policies of their own, written by triggers and by the member themselves.
ALTER TABLE public.messages ADD COLUMN "threadRootId" uuid REFERENCES public.messages(id) ON DELETE CASCADE;
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS idx_messages_thread ON public.messages ("threadRootId", seq) WHERE "threadRootId" IS NOT NULL;
--> statement-breakpoint
GRANT INSERT ("threadRootId") ON public.messages TO authenticated;
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS public.message_threads (
  "rootId" uuid PRIMARY KEY REFERENCES public.messages(id) ON DELETE CASCADE,
  "chatId" uuid NOT NULL REFERENCES public.chats(id) ON DELETE CASCADE,
  "replyCount" integer DEFAULT 0 NOT NULL,
  "lastReplySeq" bigint NOT NULL,
  "lastReplyAt" timestamptz NOT NULL,
  -- Who replied last, most recent first, a few at most: the faces on the thread's summary.
  "participantIds" uuid[] DEFAULT '{}' NOT NULL
);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS idx_message_threads_chat ON public.message_threads ("chatId", "lastReplySeq");
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS public.thread_members (
  "rootId" uuid NOT NULL REFERENCES public.messages(id) ON DELETE CASCADE,
  "userId" uuid NOT NULL REFERENCES public."user"(id) ON DELETE CASCADE,
  "chatId" uuid NOT NULL REFERENCES public.chats(id) ON DELETE CASCADE,
  following boolean DEFAULT true NOT NULL,
  "lastReadSeq" bigint DEFAULT 0 NOT NULL,
  CONSTRAINT thread_members_pkey PRIMARY KEY ("rootId", "userId")
);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS idx_thread_members_user_chat ON public.thread_members ("userId", "chatId");
--> statement-breakpoint
ALTER TABLE public.message_threads ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE public.thread_members ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
REVOKE ALL ON public.message_threads, public.thread_members FROM PUBLIC, anon, authenticated;
--> statement-breakpoint

-- Guard: on top of the earlier rules, a reply in a thread hangs off a message of the same
-- chat that is itself in no thread and is not a chat event; a deleted message starts no new
-- thread (one that has replies keeps taking them).
CREATE OR REPLACE FUNCTION public.messages_sanitize_insert()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = ''
AS $$
DECLARE
  root record;
BEGIN
  IF public.is_request_role() THEN
    NEW."createdAt" := now();
    NEW."editedAt" := NULL;
    NEW."deletedAt" := NULL;
    NEW."deletedBy" := NULL;
    NEW.metadata := NULL;
  END IF;
  IF NEW."replyToId" IS NOT NULL AND NOT EXISTS (
    SELECT 1 FROM public.messages r WHERE r.id = NEW."replyToId" AND r."chatId" = NEW."chatId"
  ) THEN
    RAISE EXCEPTION 'replyToId must be a message of the same chat' USING ERRCODE = '22023';
  END IF;
  IF NEW."threadRootId" IS NOT NULL THEN
    SELECT r."chatId", r."threadRootId", r.type, r."deletedAt" INTO root
    FROM public.messages r WHERE r.id = NEW."threadRootId";
    IF NOT FOUND OR root."chatId" <> NEW."chatId" THEN
      RAISE EXCEPTION 'threadRootId must be a message of the same chat' USING ERRCODE = '22023';
    END IF;
    IF root."threadRootId" IS NOT NULL THEN
      RAISE EXCEPTION 'A reply in a thread cannot start a thread of its own' USING ERRCODE = '22023';
    END IF;
    IF root.type = 'system' OR NEW.type = 'system' THEN
      RAISE EXCEPTION 'A chat event has no thread' USING ERRCODE = '22023';
    END IF;
    IF root."deletedAt" IS NOT NULL AND NOT EXISTS (
      SELECT 1 FROM public.message_threads t WHERE t."rootId" = NEW."threadRootId"
    ) THEN
      RAISE EXCEPTION 'A deleted message cannot start a thread' USING ERRCODE = '22023';
    END IF;
  END IF;
  RETURN NEW;
END
$$;
--> statement-breakpoint
-- Writer: the next gap-free sequence number for every message; the next ordinal and the
-- chat's last activity only for what the timeline shows (no system messages in the count,
-- no replies in threads in either).
CREATE OR REPLACE FUNCTION public.messages_assign_seq()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
  in_timeline boolean := NEW."threadRootId" IS NULL;
BEGIN
  UPDATE public.chats
  SET "lastSeq" = "lastSeq" + 1,
      "lastOrdinal" = "lastOrdinal" + CASE WHEN NEW.type = 'system' OR NOT in_timeline THEN 0 ELSE 1 END,
      "lastMessageAt" = CASE WHEN in_timeline THEN greatest("lastMessageAt", NEW."createdAt") ELSE "lastMessageAt" END
  WHERE id = NEW."chatId"
  RETURNING "lastSeq", "lastOrdinal" INTO NEW.seq, NEW.ordinal;
  IF NEW.seq IS NULL THEN
    RAISE EXCEPTION 'Chat not found' USING ERRCODE = 'P0002';
  END IF;
  RETURN NEW;
END
$$;
--> statement-breakpoint
-- Writer: the sender has read what they sent, and a new message shows a hidden chat again.
-- A reply in a thread moves the sender's pointer in the thread, not in the chat.
CREATE OR REPLACE FUNCTION public.messages_after_insert()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
  reads boolean := NEW."threadRootId" IS NULL;
BEGIN
  UPDATE public.chat_members m
  SET "hiddenAt" = NULL,
      "lastReadSeq" = CASE WHEN reads AND m."userId" = NEW."senderId" THEN greatest(m."lastReadSeq", NEW.seq) ELSE m."lastReadSeq" END,
      "lastDeliveredSeq" = CASE WHEN m."userId" = NEW."senderId" THEN greatest(m."lastDeliveredSeq", NEW.seq) ELSE m."lastDeliveredSeq" END,
      "lastReadAt" = CASE WHEN reads AND m."userId" = NEW."senderId" THEN now() ELSE m."lastReadAt" END
  WHERE m."chatId" = NEW."chatId"
    AND (m."hiddenAt" IS NOT NULL OR m."userId" = NEW."senderId");
  RETURN NULL;
END
$$;
--> statement-breakpoint
-- Writer: a reply counts on its thread, its sender follows the thread and has read it up to
-- the reply, and the root's sender (while still a member) follows it from the first reply on,
-- unless they chose to stop following it.
CREATE OR REPLACE FUNCTION public.messages_thread_reply()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
  root_sender uuid;
BEGIN
  INSERT INTO public.message_threads ("rootId", "chatId", "replyCount", "lastReplySeq", "lastReplyAt", "participantIds")
  VALUES (NEW."threadRootId", NEW."chatId", 1, NEW.seq, NEW."createdAt",
          CASE WHEN NEW."senderId" IS NULL THEN '{}'::uuid[] ELSE ARRAY[NEW."senderId"] END)
  ON CONFLICT ("rootId") DO UPDATE
  SET "replyCount" = public.message_threads."replyCount" + 1,
      "lastReplySeq" = greatest(public.message_threads."lastReplySeq", NEW.seq),
      "lastReplyAt" = greatest(public.message_threads."lastReplyAt", NEW."createdAt"),
      "participantIds" = CASE WHEN NEW."senderId" IS NULL THEN public.message_threads."participantIds"
        ELSE (ARRAY[NEW."senderId"] || array_remove(public.message_threads."participantIds", NEW."senderId"))[1:5] END;
  IF NEW."senderId" IS NOT NULL THEN
    INSERT INTO public.thread_members ("rootId", "userId", "chatId", following, "lastReadSeq")
    VALUES (NEW."threadRootId", NEW."senderId", NEW."chatId", true, NEW.seq)
    ON CONFLICT ("rootId", "userId") DO UPDATE
    SET following = true, "lastReadSeq" = greatest(public.thread_members."lastReadSeq", NEW.seq);
  END IF;
  SELECT r."senderId" INTO root_sender FROM public.messages r WHERE r.id = NEW."threadRootId";
  IF root_sender IS NOT NULL AND root_sender IS DISTINCT FROM NEW."senderId" AND EXISTS (
    SELECT 1 FROM public.chat_members cm WHERE cm."chatId" = NEW."chatId" AND cm."userId" = root_sender
  ) THEN
    INSERT INTO public.thread_members ("rootId", "userId", "chatId", following, "lastReadSeq")
    VALUES (NEW."threadRootId", root_sender, NEW."chatId", true, 0)
    ON CONFLICT ("rootId", "userId") DO NOTHING;
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE OR REPLACE TRIGGER messages_thread_reply AFTER INSERT ON public.messages
  FOR EACH ROW WHEN (NEW."threadRootId" IS NOT NULL)
  EXECUTE FUNCTION public.messages_thread_reply();
--> statement-breakpoint
-- Guard: a member follows or reads a thread of one of their chats (else "not found", as for
-- any row outside them); the chat is copied from the message; the read pointer only moves
-- forward and never past the thread's last reply. Runs as the caller (as the other guards
-- do), so it knows whether a request role is writing; the member reads the thread under
-- their own policies.
CREATE OR REPLACE FUNCTION public.thread_members_guard()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = ''
AS $$
DECLARE
  root record;
  last_reply bigint;
BEGIN
  IF NOT public.is_request_role() THEN
    RETURN NEW;
  END IF;
  IF TG_OP = 'UPDATE' AND NEW."rootId" IS DISTINCT FROM OLD."rootId" THEN
    RAISE EXCEPTION 'A thread membership cannot move' USING ERRCODE = '42501';
  END IF;
  SELECT m."chatId", m."threadRootId", m.type INTO root
  FROM public.messages m WHERE m.id = NEW."rootId";
  IF NOT FOUND OR NOT public.is_chat_member(root."chatId") THEN
    RAISE EXCEPTION 'Message not found' USING ERRCODE = 'P0002';
  END IF;
  IF root."threadRootId" IS NOT NULL OR root.type = 'system' THEN
    RAISE EXCEPTION 'That message has no thread to follow' USING ERRCODE = '22023';
  END IF;
  NEW."chatId" := root."chatId";
  SELECT t."lastReplySeq" INTO last_reply FROM public.message_threads t WHERE t."rootId" = NEW."rootId";
  IF NEW."lastReadSeq" > coalesce(last_reply, 0) THEN
    RAISE EXCEPTION 'lastReadSeq is beyond the thread''s last reply' USING ERRCODE = '22023';
  END IF;
  IF TG_OP = 'UPDATE' THEN
    NEW."lastReadSeq" := greatest(OLD."lastReadSeq", NEW."lastReadSeq");
  END IF;
  RETURN NEW;
END
$$;
--> statement-breakpoint
CREATE OR REPLACE TRIGGER thread_members_guard BEFORE INSERT OR UPDATE ON public.thread_members
  FOR EACH ROW EXECUTE FUNCTION public.thread_members_guard();
--> statement-breakpoint
REVOKE ALL ON FUNCTION public.messages_thread_reply(), public.thread_members_guard() FROM PUBLIC;
--> statement-breakpoint
GRANT SELECT ON public.message_threads TO authenticated;
--> statement-breakpoint
GRANT SELECT ON public.thread_members TO authenticated;
--> statement-breakpoint
GRANT INSERT ("rootId", "userId", following, "lastReadSeq") ON public.thread_members TO authenticated;
--> statement-breakpoint
GRANT UPDATE (following, "lastReadSeq") ON public.thread_members TO authenticated;
--> statement-breakpoint
CREATE POLICY message_threads_select_member ON public.message_threads FOR SELECT TO authenticated
  USING ("chatId" IN (SELECT public.my_chat_ids()));
--> statement-breakpoint
CREATE POLICY thread_members_select_own ON public.thread_members FOR SELECT TO authenticated
  USING ("userId" = (SELECT public.get_auth_user_id()) AND "chatId" IN (SELECT public.my_chat_ids()));
--> statement-breakpoint
CREATE POLICY thread_members_insert_own ON public.thread_members FOR INSERT TO authenticated
  WITH CHECK ("userId" = (SELECT public.get_auth_user_id()) AND "chatId" IN (SELECT public.my_chat_ids()));
--> statement-breakpoint
CREATE POLICY thread_members_update_own ON public.thread_members FOR UPDATE TO authenticated
  USING ("userId" = (SELECT public.get_auth_user_id()) AND "chatId" IN (SELECT public.my_chat_ids()))
  WITH CHECK ("userId" = (SELECT public.get_auth_user_id()) AND "chatId" IN (SELECT public.my_chat_ids()));
--> statement-breakpoint
CREATE OR REPLACE TRIGGER z_realtime_capture AFTER INSERT OR UPDATE OR DELETE ON public.message_threads
  FOR EACH ROW EXECUTE FUNCTION public.realtime_capture_change('chatId', 'rootId');
--> statement-breakpoint
-- The unread mark is a place in the chat's timeline: a reply in a thread is none.
CREATE OR REPLACE FUNCTION public.chat_members_unread_mark()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = ''
AS $$
DECLARE
  target record;
BEGIN
  IF TG_OP = 'INSERT' THEN
    NEW."unreadFromSeq" := NULL;
    NEW."unreadFromOrdinal" := NULL;
    RETURN NEW;
  END IF;
  IF NEW."unreadFromSeq" IS NOT DISTINCT FROM OLD."unreadFromSeq" THEN
    NEW."unreadFromOrdinal" := OLD."unreadFromOrdinal";
    RETURN NEW;
  END IF;
  IF public.is_request_role() AND OLD."userId" IS DISTINCT FROM public.get_auth_user_id() THEN
    RAISE EXCEPTION 'Only the member changes their own settings' USING ERRCODE = '42501';
  END IF;
  IF NEW."unreadFromSeq" IS NULL THEN
    NEW."unreadFromOrdinal" := NULL;
    RETURN NEW;
  END IF;
  SELECT m.ordinal, m.type, m."threadRootId" INTO target
  FROM public.messages m WHERE m."chatId" = NEW."chatId" AND m.seq = NEW."unreadFromSeq";
  IF NOT FOUND THEN
    RAISE EXCEPTION 'No message % in this chat', NEW."unreadFromSeq" USING ERRCODE = '22023';
  END IF;
  IF target."threadRootId" IS NOT NULL THEN
    RAISE EXCEPTION 'A reply in a thread cannot be marked unread in its chat' USING ERRCODE = '22023';
  END IF;
  NEW."unreadFromOrdinal" := target.ordinal - CASE WHEN target.type = 'system' THEN 0 ELSE 1 END;
  RETURN NEW;
END
$$;
--> statement-breakpoint
-- Who follows a thread, for the reply's fan-out to their user topics: asked only by a member
-- of the thread's chat.
CREATE OR REPLACE FUNCTION public.thread_followers(root uuid)
RETURNS SETOF uuid
LANGUAGE sql
STABLE
SECURITY DEFINER
SET search_path = ''
AS $$
  SELECT tm."userId" FROM public.thread_members tm
  JOIN public.chat_members cm ON cm."chatId" = tm."chatId" AND cm."userId" = tm."userId"
  WHERE tm."rootId" = root AND tm.following
    AND public.is_chat_member(tm."chatId");
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION public.thread_followers(uuid) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION public.thread_followers(uuid) TO authenticated;
