-- Chat: membership helpers, chat creation functions, triggers (sequence numbers, read
-- pointers, edit history, system messages, guards) and Row-Level Security.
--
-- Two kinds of trigger functions:
--   * guards are SECURITY INVOKER and act only when current_user is a request role, so the
--     changes made by Parley's own SECURITY DEFINER functions and triggers pass through;
--   * writers are SECURITY DEFINER: they keep derived data (sequence numbers, pointers,
--     history, system messages) that no request role may write directly.

-- Membership helpers: SECURITY DEFINER, so policies check membership without joins and
-- without recursing into chat_members' own policies.
CREATE OR REPLACE FUNCTION public.is_chat_member(chat_id uuid)
RETURNS boolean
LANGUAGE sql
STABLE
SECURITY DEFINER
SET search_path = ''
AS $$
  SELECT EXISTS (
    SELECT 1 FROM public.chat_members m
    WHERE m."chatId" = chat_id AND m."userId" = public.get_auth_user_id()
  )
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION public.chat_role(chat_id uuid)
RETURNS text
LANGUAGE sql
STABLE
SECURITY DEFINER
SET search_path = ''
AS $$
  SELECT m.role FROM public.chat_members m
  WHERE m."chatId" = chat_id AND m."userId" = public.get_auth_user_id()
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION public.is_group_chat(chat_id uuid)
RETURNS boolean
LANGUAGE sql
STABLE
SECURITY DEFINER
SET search_path = ''
AS $$
  -- Answers only for the caller's own chats, so it reveals nothing about other chats.
  SELECT EXISTS (SELECT 1 FROM public.chats c WHERE c.id = chat_id AND c.type = 'group')
    AND public.is_chat_member(chat_id)
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION public.is_message_deleted(message_id uuid)
RETURNS boolean
LANGUAGE sql
STABLE
SECURITY DEFINER
SET search_path = ''
AS $$
  SELECT EXISTS (
    SELECT 1 FROM public.messages m
    WHERE m.id = message_id AND m."deletedAt" IS NOT NULL AND public.is_chat_member(m."chatId")
  )
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION public.is_request_role()
RETURNS boolean
LANGUAGE sql
STABLE
SET search_path = ''
AS $$
  SELECT current_user IN ('anon', 'authenticated')
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION public.is_chat_member(uuid), public.chat_role(uuid), public.is_group_chat(uuid),
  public.is_message_deleted(uuid) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION public.is_chat_member(uuid), public.chat_role(uuid), public.is_group_chat(uuid),
  public.is_message_deleted(uuid) TO authenticated;
--> statement-breakpoint

-- A system message in a chat, by the current user, with its payload in metadata.
CREATE OR REPLACE FUNCTION public.post_system_message(chat_id uuid, payload jsonb)
RETURNS void
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = ''
AS $$
BEGIN
  INSERT INTO public.messages ("chatId", "senderId", type, content, metadata)
  VALUES (chat_id, public.get_auth_user_id(), 'system', '', payload);
END
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION public.post_system_message(uuid, jsonb) FROM PUBLIC;
--> statement-breakpoint

-- ---------------------------------------------------------------------------------------
-- Creating chats. Request roles cannot INSERT into chats: these functions are the only way,
-- so the creator is always the owner and every member is a real, non-banned user.
-- ---------------------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION public.create_group_chat(p_name text, p_description text, p_member_ids uuid[])
RETURNS uuid
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
  me uuid := public.get_auth_user_id();
  members uuid[];
  found_count int;
  new_id uuid;
BEGIN
  IF me IS NULL THEN
    RAISE EXCEPTION 'Sign in to create a chat' USING ERRCODE = '42501';
  END IF;
  IF p_name IS NULL OR char_length(btrim(p_name)) NOT BETWEEN 1 AND 100 THEN
    RAISE EXCEPTION 'A group name must be 1 to 100 characters' USING ERRCODE = '22023';
  END IF;
  IF char_length(p_description) > 1000 THEN
    RAISE EXCEPTION 'A description must be at most 1000 characters' USING ERRCODE = '22023';
  END IF;
  SELECT coalesce(array_agg(DISTINCT id), '{}') INTO members
  FROM unnest(coalesce(p_member_ids, '{}')) AS id WHERE id <> me;
  IF cardinality(members) > 255 THEN
    RAISE EXCEPTION 'A group has at most 256 members' USING ERRCODE = '22023';
  END IF;
  SELECT count(*) INTO found_count FROM public."user" u WHERE u.id = ANY (members) AND u.banned = false;
  IF found_count <> cardinality(members) THEN
    RAISE EXCEPTION 'memberIds must name existing users' USING ERRCODE = '22023';
  END IF;

  INSERT INTO public.chats (type, name, description, "createdBy")
  VALUES ('group', btrim(p_name), nullif(btrim(p_description), ''), me)
  RETURNING id INTO new_id;
  INSERT INTO public.chat_members ("chatId", "userId", role) VALUES (new_id, me, 'owner');
  INSERT INTO public.chat_members ("chatId", "userId", role)
  SELECT new_id, id, 'member' FROM unnest(members) AS id;
  PERFORM public.post_system_message(
    new_id, jsonb_build_object('kind', 'chat_created', 'actorId', me, 'name', btrim(p_name))
  );
  RETURN new_id;
END
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION public.create_direct_chat(p_other uuid)
RETURNS uuid
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
  me uuid := public.get_auth_user_id();
  key text;
  chat_id uuid;
BEGIN
  IF me IS NULL THEN
    RAISE EXCEPTION 'Sign in to create a chat' USING ERRCODE = '42501';
  END IF;
  IF p_other = me THEN
    RAISE EXCEPTION 'You cannot start a direct chat with yourself' USING ERRCODE = '22023';
  END IF;
  IF NOT EXISTS (SELECT 1 FROM public."user" u WHERE u.id = p_other AND u.banned = false) THEN
    RAISE EXCEPTION 'User not found' USING ERRCODE = 'P0002';
  END IF;
  key := least(me, p_other)::text || ':' || greatest(me, p_other)::text;
  INSERT INTO public.chats (type, "directKey", "createdBy") VALUES ('direct', key, me)
  ON CONFLICT ("directKey") DO NOTHING;
  SELECT c.id INTO chat_id FROM public.chats c WHERE c."directKey" = key;
  INSERT INTO public.chat_members ("chatId", "userId", role)
  VALUES (chat_id, me, 'member'), (chat_id, p_other, 'member')
  ON CONFLICT DO NOTHING;
  -- Opening a chat you had hidden shows it again.
  UPDATE public.chat_members SET "hiddenAt" = NULL
  WHERE "chatId" = chat_id AND "userId" = me AND "hiddenAt" IS NOT NULL;
  RETURN chat_id;
END
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION public.transfer_chat_ownership(p_chat_id uuid, p_new_owner uuid)
RETURNS void
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
  me uuid := public.get_auth_user_id();
  my_role text := public.chat_role(p_chat_id);
BEGIN
  IF my_role IS NULL THEN
    RAISE EXCEPTION 'Chat not found' USING ERRCODE = 'P0002';
  END IF;
  IF my_role <> 'owner' OR NOT public.is_group_chat(p_chat_id) THEN
    RAISE EXCEPTION 'Only the owner of a group can transfer it' USING ERRCODE = '42501';
  END IF;
  IF p_new_owner = me OR NOT EXISTS (
    SELECT 1 FROM public.chat_members m WHERE m."chatId" = p_chat_id AND m."userId" = p_new_owner
  ) THEN
    RAISE EXCEPTION 'The new owner must be another member of the chat' USING ERRCODE = '22023';
  END IF;
  UPDATE public.chat_members SET role = 'owner' WHERE "chatId" = p_chat_id AND "userId" = p_new_owner;
  UPDATE public.chat_members SET role = 'admin' WHERE "chatId" = p_chat_id AND "userId" = me;
END
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION public.create_group_chat(text, text, uuid[]), public.create_direct_chat(uuid),
  public.transfer_chat_ownership(uuid, uuid) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION public.create_group_chat(text, text, uuid[]), public.create_direct_chat(uuid),
  public.transfer_chat_ownership(uuid, uuid) TO authenticated;
--> statement-breakpoint

-- ---------------------------------------------------------------------------------------
-- messages
-- ---------------------------------------------------------------------------------------

-- Guard: what a request may not choose on insert (time, edit/delete state, payloads).
CREATE OR REPLACE FUNCTION public.messages_sanitize_insert()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = ''
AS $$
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
  RETURN NEW;
END
$$;
--> statement-breakpoint
-- Writer: the next gap-free sequence number. Updating the chat row locks it, so concurrent
-- sends to one chat take numbers one after another; a rolled-back send gives its number back.
CREATE OR REPLACE FUNCTION public.messages_assign_seq()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = ''
AS $$
BEGIN
  UPDATE public.chats
  SET "lastSeq" = "lastSeq" + 1,
      "lastMessageAt" = greatest("lastMessageAt", NEW."createdAt")
  WHERE id = NEW."chatId"
  RETURNING "lastSeq" INTO NEW.seq;
  IF NEW.seq IS NULL THEN
    RAISE EXCEPTION 'Chat not found' USING ERRCODE = 'P0002';
  END IF;
  RETURN NEW;
END
$$;
--> statement-breakpoint
-- Writer: the sender has read what they sent; a new message shows a hidden chat again.
CREATE OR REPLACE FUNCTION public.messages_after_insert()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = ''
AS $$
BEGIN
  UPDATE public.chat_members m
  SET "hiddenAt" = NULL,
      "lastReadSeq" = CASE WHEN m."userId" = NEW."senderId" THEN greatest(m."lastReadSeq", NEW.seq) ELSE m."lastReadSeq" END,
      "lastDeliveredSeq" = CASE WHEN m."userId" = NEW."senderId" THEN greatest(m."lastDeliveredSeq", NEW.seq) ELSE m."lastDeliveredSeq" END,
      "lastReadAt" = CASE WHEN m."userId" = NEW."senderId" THEN now() ELSE m."lastReadAt" END
  WHERE m."chatId" = NEW."chatId"
    AND (m."hiddenAt" IS NOT NULL OR m."userId" = NEW."senderId");
  RETURN NULL;
END
$$;
--> statement-breakpoint
-- Guard: only the sender edits content; deletion is one-way and records who did it.
CREATE OR REPLACE FUNCTION public.messages_guard_update()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = ''
AS $$
DECLARE
  me uuid := public.get_auth_user_id();
BEGIN
  IF NOT public.is_request_role() THEN
    RETURN NEW;
  END IF;
  IF OLD."deletedAt" IS NOT NULL THEN
    RAISE EXCEPTION 'A deleted message cannot be changed' USING ERRCODE = '22023';
  END IF;
  IF NEW."deletedAt" IS NOT NULL THEN
    -- Soft delete: the sender, or a group owner/admin (the policy already narrowed the rows).
    NEW."deletedAt" := now();
    NEW."deletedBy" := me;
    NEW.content := '';
    NEW."editedAt" := OLD."editedAt";
    RETURN NEW;
  END IF;
  NEW."deletedBy" := NULL;
  IF NEW.content IS DISTINCT FROM OLD.content THEN
    IF OLD."senderId" IS DISTINCT FROM me OR OLD.type = 'system' THEN
      RAISE EXCEPTION 'Only the sender can edit a message' USING ERRCODE = '42501';
    END IF;
    NEW."editedAt" := now();
  ELSE
    NEW."editedAt" := OLD."editedAt";
  END IF;
  RETURN NEW;
END
$$;
--> statement-breakpoint
-- Writer: every change of content keeps the text it replaced (edits, and deletions for the
-- moderation trail).
CREATE OR REPLACE FUNCTION public.messages_record_history()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = ''
AS $$
BEGIN
  IF NEW.content IS DISTINCT FROM OLD.content THEN
    INSERT INTO public.message_edits ("messageId", "chatId", "previousContent", "editedAt", "editedBy")
    VALUES (NEW.id, NEW."chatId", OLD.content, now(), coalesce(NEW."deletedBy", public.get_auth_user_id()));
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE OR REPLACE TRIGGER a_messages_sanitize_insert BEFORE INSERT ON public.messages
  FOR EACH ROW EXECUTE FUNCTION public.messages_sanitize_insert();
--> statement-breakpoint
CREATE OR REPLACE TRIGGER b_messages_assign_seq BEFORE INSERT ON public.messages
  FOR EACH ROW EXECUTE FUNCTION public.messages_assign_seq();
--> statement-breakpoint
CREATE OR REPLACE TRIGGER messages_after_insert AFTER INSERT ON public.messages
  FOR EACH ROW EXECUTE FUNCTION public.messages_after_insert();
--> statement-breakpoint
CREATE OR REPLACE TRIGGER messages_guard_update BEFORE UPDATE ON public.messages
  FOR EACH ROW EXECUTE FUNCTION public.messages_guard_update();
--> statement-breakpoint
CREATE OR REPLACE TRIGGER messages_record_history AFTER UPDATE ON public.messages
  FOR EACH ROW EXECUTE FUNCTION public.messages_record_history();
--> statement-breakpoint

-- ---------------------------------------------------------------------------------------
-- chat_members
-- ---------------------------------------------------------------------------------------

-- Guard: a member added by a request starts with the history read and default settings.
-- SECURITY DEFINER to read the chat's lastSeq; the session's role tells a request apart.
CREATE OR REPLACE FUNCTION public.chat_members_sanitize_insert()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = ''
AS $$
BEGIN
  IF current_setting('role', true) NOT IN ('anon', 'authenticated') THEN
    RETURN NEW;
  END IF;
  IF NOT EXISTS (SELECT 1 FROM public."user" u WHERE u.id = NEW."userId" AND u.banned = false) THEN
    RAISE EXCEPTION 'Only existing, active users can be added' USING ERRCODE = '22023';
  END IF;
  SELECT c."lastSeq" INTO NEW."lastReadSeq" FROM public.chats c WHERE c.id = NEW."chatId";
  NEW."lastReadSeq" := coalesce(NEW."lastReadSeq", 0);
  NEW."lastDeliveredSeq" := NEW."lastReadSeq";
  NEW."joinedAt" := now();
  NEW."lastReadAt" := NULL;
  NEW."mutedUntil" := NULL;
  NEW."hiddenAt" := NULL;
  NEW."notificationLevel" := 'all';
  RETURN NEW;
END
$$;
--> statement-breakpoint
-- Guard: your own row's pointers only move forward and never past the last message; other
-- rows change only in role, never to or from owner (ownership moves by transfer).
CREATE OR REPLACE FUNCTION public.chat_members_guard_update()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = ''
AS $$
DECLARE
  me uuid := public.get_auth_user_id();
  last bigint;
BEGIN
  IF NOT public.is_request_role() THEN
    RETURN NEW;
  END IF;
  IF NEW.role IS DISTINCT FROM OLD.role THEN
    IF OLD."userId" = me THEN
      RAISE EXCEPTION 'You cannot change your own role' USING ERRCODE = '42501';
    END IF;
    IF OLD.role = 'owner' OR NEW.role = 'owner' THEN
      RAISE EXCEPTION 'Ownership changes only by transfer' USING ERRCODE = '42501';
    END IF;
    IF coalesce(public.chat_role(OLD."chatId"), '') NOT IN ('owner', 'admin') THEN
      RAISE EXCEPTION 'Only group owners and admins change roles' USING ERRCODE = '42501';
    END IF;
  END IF;
  IF OLD."userId" IS DISTINCT FROM me THEN
    IF (NEW."lastReadSeq", NEW."lastDeliveredSeq", NEW."lastReadAt", NEW."mutedUntil", NEW."notificationLevel", NEW."hiddenAt")
       IS DISTINCT FROM
       (OLD."lastReadSeq", OLD."lastDeliveredSeq", OLD."lastReadAt", OLD."mutedUntil", OLD."notificationLevel", OLD."hiddenAt") THEN
      RAISE EXCEPTION 'Only the member changes their own settings' USING ERRCODE = '42501';
    END IF;
    RETURN NEW;
  END IF;
  SELECT c."lastSeq" INTO last FROM public.chats c WHERE c.id = OLD."chatId";
  IF NEW."lastReadSeq" > last OR NEW."lastDeliveredSeq" > last THEN
    RAISE EXCEPTION 'seq is beyond the last message of the chat' USING ERRCODE = '22023';
  END IF;
  IF NEW."lastReadSeq" > OLD."lastReadSeq" THEN
    NEW."lastReadAt" := now();
  ELSE
    NEW."lastReadSeq" := OLD."lastReadSeq";
    NEW."lastReadAt" := OLD."lastReadAt";
  END IF;
  -- Read implies delivered.
  NEW."lastDeliveredSeq" := greatest(OLD."lastDeliveredSeq", NEW."lastDeliveredSeq", NEW."lastReadSeq");
  RETURN NEW;
END
$$;
--> statement-breakpoint
-- Guard: the owner never leaves or is removed (transfer first, or delete the group); direct
-- chats are hidden, not left.
CREATE OR REPLACE FUNCTION public.chat_members_guard_delete()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = ''
AS $$
BEGIN
  IF NOT public.is_request_role() THEN
    RETURN OLD;
  END IF;
  IF OLD.role = 'owner' THEN
    RAISE EXCEPTION 'The owner cannot leave or be removed; transfer ownership first' USING ERRCODE = '42501';
  END IF;
  IF NOT public.is_group_chat(OLD."chatId") THEN
    RAISE EXCEPTION 'Members of a direct chat cannot leave it; hide it instead' USING ERRCODE = '42501';
  END IF;
  RETURN OLD;
END
$$;
--> statement-breakpoint
-- Writer: system messages for membership changes in groups. A group gets its chat_created
-- message (seq 1) after its first members, so lastSeq = 0 means "being created".
CREATE OR REPLACE FUNCTION public.chat_members_system_messages()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
  me uuid := public.get_auth_user_id();
  chat record;
BEGIN
  IF TG_OP = 'DELETE' THEN
    SELECT c.type, c."lastSeq" INTO chat FROM public.chats c WHERE c.id = OLD."chatId";
    -- Gone with its chat (cascade): nothing to say.
    IF NOT FOUND OR chat.type <> 'group' THEN
      RETURN NULL;
    END IF;
    PERFORM public.post_system_message(OLD."chatId", jsonb_build_object(
      'kind', CASE WHEN OLD."userId" = me THEN 'member_left' ELSE 'member_removed' END,
      'actorId', me, 'userId', OLD."userId"));
    RETURN NULL;
  END IF;
  SELECT c.type, c."lastSeq" INTO chat FROM public.chats c WHERE c.id = NEW."chatId";
  IF chat.type <> 'group' OR chat."lastSeq" = 0 THEN
    RETURN NULL;
  END IF;
  IF TG_OP = 'INSERT' THEN
    PERFORM public.post_system_message(NEW."chatId", jsonb_build_object(
      'kind', 'member_added', 'actorId', me, 'userId', NEW."userId"));
  ELSIF NEW.role IS DISTINCT FROM OLD.role THEN
    PERFORM public.post_system_message(NEW."chatId", jsonb_build_object(
      'kind', 'role_changed', 'actorId', me, 'userId', NEW."userId", 'from', OLD.role, 'to', NEW.role));
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE OR REPLACE TRIGGER chat_members_sanitize_insert BEFORE INSERT ON public.chat_members
  FOR EACH ROW EXECUTE FUNCTION public.chat_members_sanitize_insert();
--> statement-breakpoint
CREATE OR REPLACE TRIGGER chat_members_guard_update BEFORE UPDATE ON public.chat_members
  FOR EACH ROW EXECUTE FUNCTION public.chat_members_guard_update();
--> statement-breakpoint
CREATE OR REPLACE TRIGGER chat_members_guard_delete BEFORE DELETE ON public.chat_members
  FOR EACH ROW EXECUTE FUNCTION public.chat_members_guard_delete();
--> statement-breakpoint
CREATE OR REPLACE TRIGGER chat_members_system_messages AFTER INSERT OR DELETE OR UPDATE OF role ON public.chat_members
  FOR EACH ROW EXECUTE FUNCTION public.chat_members_system_messages();
--> statement-breakpoint

-- ---------------------------------------------------------------------------------------
-- chats
-- ---------------------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION public.chats_system_messages()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = ''
AS $$
BEGIN
  IF NEW.type = 'group' AND NEW.name IS DISTINCT FROM OLD.name THEN
    PERFORM public.post_system_message(NEW.id, jsonb_build_object(
      'kind', 'chat_renamed', 'actorId', public.get_auth_user_id(), 'from', OLD.name, 'to', NEW.name));
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE OR REPLACE TRIGGER chats_system_messages AFTER UPDATE OF name ON public.chats
  FOR EACH ROW EXECUTE FUNCTION public.chats_system_messages();
--> statement-breakpoint
CREATE OR REPLACE TRIGGER update_chats_updated_at BEFORE UPDATE ON public.chats
  FOR EACH ROW EXECUTE FUNCTION public.update_updated_at_column();
--> statement-breakpoint

-- ---------------------------------------------------------------------------------------
-- reactions and attachments
-- ---------------------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION public.message_reactions_before_insert()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
  target record;
BEGIN
  SELECT m."chatId", m."deletedAt" INTO target FROM public.messages m WHERE m.id = NEW."messageId";
  -- Runs with owner rights: answer "not found" for messages outside the caller's chats, so
  -- nothing about them (existence, deletion) leaks before the policy check.
  IF NOT FOUND OR NOT public.is_chat_member(target."chatId") THEN
    RAISE EXCEPTION 'Message not found' USING ERRCODE = 'P0002';
  END IF;
  IF target."deletedAt" IS NOT NULL THEN
    RAISE EXCEPTION 'A deleted message cannot get reactions' USING ERRCODE = '22023';
  END IF;
  NEW."chatId" := target."chatId";
  NEW."createdAt" := now();
  RETURN NEW;
END
$$;
--> statement-breakpoint
CREATE OR REPLACE TRIGGER message_reactions_before_insert BEFORE INSERT ON public.message_reactions
  FOR EACH ROW EXECUTE FUNCTION public.message_reactions_before_insert();
--> statement-breakpoint
-- Guard: an upload is attached once, by its uploader, to their own message in the same chat.
CREATE OR REPLACE FUNCTION public.message_attachments_guard()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = ''
AS $$
BEGIN
  IF NOT public.is_request_role() THEN
    RETURN NEW;
  END IF;
  IF TG_OP = 'INSERT' THEN
    NEW."messageId" := NULL;
    NEW."createdAt" := now();
    RETURN NEW;
  END IF;
  IF OLD."messageId" IS NOT NULL THEN
    RAISE EXCEPTION 'The attachment is already sent' USING ERRCODE = '22023';
  END IF;
  IF NOT EXISTS (
    SELECT 1 FROM public.messages m
    WHERE m.id = NEW."messageId" AND m."chatId" = OLD."chatId"
      AND m."senderId" = public.get_auth_user_id() AND m."deletedAt" IS NULL
  ) THEN
    RAISE EXCEPTION 'Attachments go on your own message in the same chat' USING ERRCODE = '22023';
  END IF;
  RETURN NEW;
END
$$;
--> statement-breakpoint
CREATE OR REPLACE TRIGGER message_attachments_guard BEFORE INSERT OR UPDATE ON public.message_attachments
  FOR EACH ROW EXECUTE FUNCTION public.message_attachments_guard();
--> statement-breakpoint

-- ---------------------------------------------------------------------------------------
-- Grants and policies. Site admins get nothing here: chats are private to their members.
-- ---------------------------------------------------------------------------------------
REVOKE ALL ON public.chats, public.chat_members, public.messages, public.message_edits,
  public.message_attachments, public.message_reactions FROM anon, authenticated;
--> statement-breakpoint
ALTER TABLE public.chats ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE public.chat_members ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE public.messages ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE public.message_edits ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE public.message_attachments ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE public.message_reactions ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint

-- chats: members read; group owners/admins change name, description and avatar; the owner
-- deletes. Created only through create_group_chat / create_direct_chat.
GRANT SELECT, DELETE ON public.chats TO authenticated;
--> statement-breakpoint
GRANT UPDATE (name, description, "avatarPath") ON public.chats TO authenticated;
--> statement-breakpoint
CREATE POLICY chats_select_member ON public.chats FOR SELECT TO authenticated
  USING ((SELECT public.is_chat_member(id)));
--> statement-breakpoint
CREATE POLICY chats_update_group_admin ON public.chats FOR UPDATE TO authenticated
  USING (type = 'group' AND (SELECT public.chat_role(id)) IN ('owner', 'admin'))
  WITH CHECK (type = 'group' AND (SELECT public.chat_role(id)) IN ('owner', 'admin'));
--> statement-breakpoint
CREATE POLICY chats_delete_group_owner ON public.chats FOR DELETE TO authenticated
  USING (type = 'group' AND (SELECT public.chat_role(id)) = 'owner');
--> statement-breakpoint

-- chat_members: members see the member list; group owners/admins add members (never as
-- owner) and remove them; each member updates their own pointers and settings.
GRANT SELECT, DELETE ON public.chat_members TO authenticated;
--> statement-breakpoint
GRANT INSERT ("chatId", "userId", role, "joinedAt", "lastReadSeq", "lastReadAt", "lastDeliveredSeq",
  "mutedUntil", "notificationLevel", "hiddenAt") ON public.chat_members TO authenticated;
--> statement-breakpoint
GRANT UPDATE (role, "lastReadSeq", "lastReadAt", "lastDeliveredSeq", "mutedUntil", "notificationLevel", "hiddenAt")
  ON public.chat_members TO authenticated;
--> statement-breakpoint
CREATE POLICY chat_members_select_member ON public.chat_members FOR SELECT TO authenticated
  USING ((SELECT public.is_chat_member("chatId")));
--> statement-breakpoint
CREATE POLICY chat_members_insert_group_admin ON public.chat_members FOR INSERT TO authenticated
  WITH CHECK (
    role <> 'owner'
    AND (SELECT public.is_group_chat("chatId"))
    AND (SELECT public.chat_role("chatId")) IN ('owner', 'admin')
  );
--> statement-breakpoint
CREATE POLICY chat_members_update_self ON public.chat_members FOR UPDATE TO authenticated
  USING ("userId" = (SELECT public.get_auth_user_id()))
  WITH CHECK ("userId" = (SELECT public.get_auth_user_id()));
--> statement-breakpoint
CREATE POLICY chat_members_update_group_admin ON public.chat_members FOR UPDATE TO authenticated
  USING ((SELECT public.is_group_chat("chatId")) AND (SELECT public.chat_role("chatId")) IN ('owner', 'admin'))
  WITH CHECK ((SELECT public.is_group_chat("chatId")) AND (SELECT public.chat_role("chatId")) IN ('owner', 'admin'));
--> statement-breakpoint
CREATE POLICY chat_members_delete_self ON public.chat_members FOR DELETE TO authenticated
  USING ("userId" = (SELECT public.get_auth_user_id()));
--> statement-breakpoint
CREATE POLICY chat_members_delete_group_admin ON public.chat_members FOR DELETE TO authenticated
  USING ((SELECT public.is_group_chat("chatId")) AND (SELECT public.chat_role("chatId")) IN ('owner', 'admin'));
--> statement-breakpoint

-- messages: members read; members send as themselves (never system messages); the sender
-- edits, the sender or a group owner/admin soft-deletes. No DELETE: soft delete only.
GRANT SELECT ON public.messages TO authenticated;
--> statement-breakpoint
GRANT INSERT (id, "chatId", "senderId", seq, type, content, "replyToId", metadata, "editedAt", "deletedAt",
  "deletedBy", "createdAt") ON public.messages TO authenticated;
--> statement-breakpoint
GRANT UPDATE (content, "editedAt", "deletedAt", "deletedBy") ON public.messages TO authenticated;
--> statement-breakpoint
CREATE POLICY messages_select_member ON public.messages FOR SELECT TO authenticated
  USING ((SELECT public.is_chat_member("chatId")));
--> statement-breakpoint
CREATE POLICY messages_insert_member ON public.messages FOR INSERT TO authenticated
  WITH CHECK (
    "senderId" = (SELECT public.get_auth_user_id())
    AND type <> 'system'
    AND (SELECT public.is_chat_member("chatId"))
  );
--> statement-breakpoint
CREATE POLICY messages_update_sender ON public.messages FOR UPDATE TO authenticated
  USING ("senderId" = (SELECT public.get_auth_user_id()) AND (SELECT public.is_chat_member("chatId")))
  WITH CHECK ("senderId" = (SELECT public.get_auth_user_id()));
--> statement-breakpoint
CREATE POLICY messages_update_group_admin ON public.messages FOR UPDATE TO authenticated
  USING ((SELECT public.is_group_chat("chatId")) AND (SELECT public.chat_role("chatId")) IN ('owner', 'admin'))
  WITH CHECK ((SELECT public.is_group_chat("chatId")) AND (SELECT public.chat_role("chatId")) IN ('owner', 'admin'));
--> statement-breakpoint

-- message_edits: written by the history trigger only. Members read the history of messages
-- that still exist; the text of deleted messages stays out of their reach.
GRANT SELECT ON public.message_edits TO authenticated;
--> statement-breakpoint
CREATE POLICY message_edits_select_member ON public.message_edits FOR SELECT TO authenticated
  USING ((SELECT public.is_chat_member("chatId")) AND NOT (SELECT public.is_message_deleted("messageId")));
--> statement-breakpoint

-- message_attachments: members see sent attachments of live messages; the uploader sees
-- their own uploads, attaches them to their own message, and deletes unsent ones.
GRANT SELECT ON public.message_attachments TO authenticated;
--> statement-breakpoint
GRANT INSERT (id, "messageId", "chatId", "uploaderId", "fileName", "storagePath", "fileSize", "mimeType",
  width, height, "thumbnailPath", "createdAt") ON public.message_attachments TO authenticated;
--> statement-breakpoint
GRANT UPDATE ("messageId") ON public.message_attachments TO authenticated;
--> statement-breakpoint
GRANT DELETE ON public.message_attachments TO authenticated;
--> statement-breakpoint
CREATE POLICY message_attachments_select_member ON public.message_attachments FOR SELECT TO authenticated
  USING (
    (SELECT public.is_chat_member("chatId"))
    AND (
      "uploaderId" = (SELECT public.get_auth_user_id())
      OR ("messageId" IS NOT NULL AND NOT (SELECT public.is_message_deleted("messageId")))
    )
  );
--> statement-breakpoint
CREATE POLICY message_attachments_insert_uploader ON public.message_attachments FOR INSERT TO authenticated
  WITH CHECK ("uploaderId" = (SELECT public.get_auth_user_id()) AND (SELECT public.is_chat_member("chatId")));
--> statement-breakpoint
CREATE POLICY message_attachments_update_uploader ON public.message_attachments FOR UPDATE TO authenticated
  USING ("uploaderId" = (SELECT public.get_auth_user_id()) AND "messageId" IS NULL)
  WITH CHECK ("uploaderId" = (SELECT public.get_auth_user_id()));
--> statement-breakpoint
CREATE POLICY message_attachments_delete_uploader ON public.message_attachments FOR DELETE TO authenticated
  USING ("uploaderId" = (SELECT public.get_auth_user_id()) AND "messageId" IS NULL);
--> statement-breakpoint

-- message_reactions: members see them; each member adds and removes their own.
GRANT SELECT, DELETE ON public.message_reactions TO authenticated;
--> statement-breakpoint
GRANT INSERT ("messageId", "userId", emoji, "chatId", "createdAt") ON public.message_reactions TO authenticated;
--> statement-breakpoint
CREATE POLICY message_reactions_select_member ON public.message_reactions FOR SELECT TO authenticated
  USING ((SELECT public.is_chat_member("chatId")));
--> statement-breakpoint
CREATE POLICY message_reactions_insert_own ON public.message_reactions FOR INSERT TO authenticated
  WITH CHECK ("userId" = (SELECT public.get_auth_user_id()) AND (SELECT public.is_chat_member("chatId")));
--> statement-breakpoint
CREATE POLICY message_reactions_delete_own ON public.message_reactions FOR DELETE TO authenticated
  USING ("userId" = (SELECT public.get_auth_user_id()));
--> statement-breakpoint

-- user: people you share a chat with stay visible (names on old messages) even when banned.
CREATE OR REPLACE FUNCTION public.shares_chat_with(other uuid)
RETURNS boolean
LANGUAGE sql
STABLE
SECURITY DEFINER
SET search_path = ''
AS $$
  SELECT EXISTS (
    SELECT 1
    FROM public.chat_members mine
    JOIN public.chat_members theirs ON theirs."chatId" = mine."chatId"
    WHERE mine."userId" = public.get_auth_user_id() AND theirs."userId" = other
  )
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION public.shares_chat_with(uuid) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION public.shares_chat_with(uuid) TO authenticated;
--> statement-breakpoint
CREATE POLICY user_select_chat_partner ON public."user" FOR SELECT TO authenticated
  USING ((SELECT public.shares_chat_with(id)));
