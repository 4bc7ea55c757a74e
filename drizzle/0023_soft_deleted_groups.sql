-- Deleting a group hides it and keeps its rows: the chat, its messages and their edit
-- history, reactions and attachments stay (the moderation trail). Its memberships move to
-- deleted_chat_members, so every membership check — policies, realtime joins, the helpers —
-- refuses at once without knowing about deletion. Files are removed after
-- DELETED_GROUP_FILES_RETENTION_DAYS by the cleanup job.
ALTER TABLE public.chats ADD COLUMN IF NOT EXISTS "deletedAt" timestamp with time zone;
--> statement-breakpoint
ALTER TABLE public.chats ADD COLUMN IF NOT EXISTS "deletedBy" uuid
  REFERENCES public."user"(id) ON DELETE SET NULL;
--> statement-breakpoint
ALTER TABLE public.chats DROP CONSTRAINT IF EXISTS chats_deleted_group;
--> statement-breakpoint
ALTER TABLE public.chats ADD CONSTRAINT chats_deleted_group
  CHECK ("deletedAt" IS NULL OR type = 'group');
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS idx_chats_deleted_at ON public.chats ("deletedAt")
  WHERE "deletedAt" IS NOT NULL;
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS public.deleted_chat_members (
  "chatId" uuid NOT NULL REFERENCES public.chats(id) ON DELETE CASCADE,
  "userId" uuid NOT NULL REFERENCES public."user"(id) ON DELETE CASCADE,
  role text NOT NULL,
  "joinedAt" timestamp with time zone NOT NULL,
  "lastReadSeq" bigint NOT NULL,
  CONSTRAINT deleted_chat_members_pkey PRIMARY KEY ("chatId", "userId")
);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS idx_deleted_chat_members_user_id
  ON public.deleted_chat_members ("userId");
--> statement-breakpoint
-- Bookkeeping: no request role reads or writes it.
ALTER TABLE public.deleted_chat_members ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
REVOKE ALL ON public.deleted_chat_members FROM PUBLIC, anon, authenticated;
--> statement-breakpoint
-- Soft delete only: no request role deletes a chat row.
DROP POLICY IF EXISTS chats_delete_group_owner ON public.chats;
--> statement-breakpoint
REVOKE DELETE ON public.chats FROM authenticated;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION public.delete_group_chat(p_chat_id uuid)
RETURNS void
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
  me uuid := public.get_auth_user_id();
BEGIN
  -- Only the owner of a live group; anything else looks like a chat that does not exist.
  IF me IS NULL OR public.chat_role(p_chat_id) IS DISTINCT FROM 'owner' OR NOT EXISTS (
    SELECT 1 FROM public.chats c
    WHERE c.id = p_chat_id AND c.type = 'group' AND c."deletedAt" IS NULL
  ) THEN
    RAISE EXCEPTION 'Only the owner of a group can delete it' USING ERRCODE = '42501';
  END IF;
  UPDATE public.chats SET "deletedAt" = now(), "deletedBy" = me WHERE id = p_chat_id;
  INSERT INTO public.deleted_chat_members ("chatId", "userId", role, "joinedAt", "lastReadSeq")
    SELECT m."chatId", m."userId", m.role, m."joinedAt", m."lastReadSeq"
    FROM public.chat_members m WHERE m."chatId" = p_chat_id
    ON CONFLICT DO NOTHING;
  DELETE FROM public.chat_members WHERE "chatId" = p_chat_id;
END
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION public.delete_group_chat(uuid) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION public.delete_group_chat(uuid) TO authenticated;
--> statement-breakpoint
-- Memberships ended by a deletion say nothing in the chat; every other membership event
-- names its member as they were called then ("Ann removed Ben"): a removed member may no
-- longer be visible to the ones who read the chat later.
CREATE OR REPLACE FUNCTION public.chat_members_system_messages()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
  me uuid := public.get_auth_user_id();
  chat record;
  member_name text;
BEGIN
  IF TG_OP = 'DELETE' THEN
    SELECT c.type, c."lastSeq", c."deletedAt" INTO chat FROM public.chats c WHERE c.id = OLD."chatId";
    -- Gone with its chat (cascade, or the group's deletion): nothing to say.
    IF NOT FOUND OR chat.type <> 'group' OR chat."deletedAt" IS NOT NULL THEN
      RETURN NULL;
    END IF;
    SELECT u.name INTO member_name FROM public."user" u WHERE u.id = OLD."userId";
    PERFORM public.post_system_message(OLD."chatId", jsonb_build_object(
      'kind', CASE WHEN OLD."userId" = me THEN 'member_left' ELSE 'member_removed' END,
      'actorId', me, 'userId', OLD."userId", 'userName', member_name));
    RETURN NULL;
  END IF;
  SELECT c.type, c."lastSeq" INTO chat FROM public.chats c WHERE c.id = NEW."chatId";
  IF chat.type <> 'group' OR chat."lastSeq" = 0 THEN
    RETURN NULL;
  END IF;
  SELECT u.name INTO member_name FROM public."user" u WHERE u.id = NEW."userId";
  IF TG_OP = 'INSERT' THEN
    PERFORM public.post_system_message(NEW."chatId", jsonb_build_object(
      'kind', 'member_added', 'actorId', me, 'userId', NEW."userId", 'userName', member_name));
  ELSIF NEW.role IS DISTINCT FROM OLD.role THEN
    PERFORM public.post_system_message(NEW."chatId", jsonb_build_object(
      'kind', 'role_changed', 'actorId', me, 'userId', NEW."userId", 'userName', member_name,
      'from', OLD.role, 'to', NEW.role));
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
-- A deleted group's files are no longer served, though they stay until the retention ends.
CREATE OR REPLACE FUNCTION public.storage_object_live(object_path text)
RETURNS boolean
LANGUAGE sql
STABLE
SECURITY DEFINER
SET search_path = ''
AS $$
  SELECT EXISTS (
    SELECT 1 FROM public.message_attachments a
    JOIN public.chats c ON c.id = a."chatId" AND c."deletedAt" IS NULL
    WHERE a."storagePath" = object_path OR a."thumbnailPath" = object_path
  )
$$;
