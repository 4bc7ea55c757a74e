-- Public rooms: a group its owner or admins opened to everyone. Anyone signed in finds it
-- in the directory (name, description, member count: nothing of its messages) and joins it
-- as a member; reading it still takes membership, as for any chat. A private group, the
-- default, is found by no one outside it. Direct chats are never public.
ALTER TABLE public.chats ADD COLUMN IF NOT EXISTS visibility text DEFAULT 'private' NOT NULL;
--> statement-breakpoint
ALTER TABLE public.chats DROP CONSTRAINT IF EXISTS chats_visibility_valid;
--> statement-breakpoint
ALTER TABLE public.chats ADD CONSTRAINT chats_visibility_valid
  CHECK (visibility IN ('private', 'public') AND (visibility = 'private' OR type = 'group'));
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS idx_chats_public_name ON public.chats (lower(name), id)
  WHERE visibility = 'public' AND "deletedAt" IS NULL;
--> statement-breakpoint
GRANT UPDATE (visibility) ON public.chats TO authenticated;
--> statement-breakpoint

-- The directory: public rooms whose name or description holds the query, by name, a page
-- after (name, id). Only what a room shows to anyone; whether the caller is in it.
CREATE OR REPLACE FUNCTION public.public_room_directory(
  p_query text, p_after_name text, p_after_id uuid, p_limit integer
)
RETURNS TABLE (
  id uuid, name text, description text, "avatarPath" text, "memberCount" integer, joined boolean
)
LANGUAGE sql
STABLE
SECURITY DEFINER
SET search_path = ''
AS $$
  SELECT c.id, c.name, c.description, c."avatarPath", c."memberCount",
         EXISTS (SELECT 1 FROM public.chat_members m
                 WHERE m."chatId" = c.id AND m."userId" = public.get_auth_user_id())
  FROM public.chats c
  WHERE public.get_auth_user_id() IS NOT NULL
    AND c.visibility = 'public' AND c."deletedAt" IS NULL
    AND (p_query IS NULL
         OR strpos(lower(c.name), lower(p_query)) > 0
         OR strpos(lower(coalesce(c.description, '')), lower(p_query)) > 0)
    AND (p_after_name IS NULL OR (lower(c.name), c.id) > (lower(p_after_name), p_after_id))
  ORDER BY lower(c.name), c.id
  LIMIT least(greatest(p_limit, 1), 100)
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION public.public_room_directory(text, text, uuid, integer) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION public.public_room_directory(text, text, uuid, integer) TO authenticated;
--> statement-breakpoint

-- Joining a public room: the caller, as a member. A room that is not public (or not there)
-- is "not found", whether or not it exists; joining twice changes nothing.
CREATE OR REPLACE FUNCTION public.join_public_room(p_chat_id uuid)
RETURNS boolean
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
  me uuid := public.get_auth_user_id();
  inserted integer;
BEGIN
  IF me IS NULL THEN
    RAISE EXCEPTION 'Sign in to join a room' USING ERRCODE = '42501';
  END IF;
  PERFORM 1 FROM public.chats c
  WHERE c.id = p_chat_id AND c.visibility = 'public' AND c."deletedAt" IS NULL
  FOR NO KEY UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'Room not found' USING ERRCODE = 'P0002';
  END IF;
  INSERT INTO public.chat_members ("chatId", "userId", role)
  VALUES (p_chat_id, me, 'member')
  ON CONFLICT ("chatId", "userId") DO NOTHING;
  GET DIAGNOSTICS inserted = ROW_COUNT;
  RETURN inserted > 0;
END
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION public.join_public_room(uuid) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION public.join_public_room(uuid) TO authenticated;
--> statement-breakpoint

-- Membership events, as in 0023, with one more: a member who added themselves joined.
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
      'kind', CASE WHEN NEW."userId" = me THEN 'member_joined' ELSE 'member_added' END,
      'actorId', me, 'userId', NEW."userId", 'userName', member_name));
  ELSIF NEW.role IS DISTINCT FROM OLD.role THEN
    PERFORM public.post_system_message(NEW."chatId", jsonb_build_object(
      'kind', 'role_changed', 'actorId', me, 'userId', NEW."userId", 'userName', member_name,
      'from', OLD.role, 'to', NEW.role));
  END IF;
  RETURN NULL;
END
$$;
