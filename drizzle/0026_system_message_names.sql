-- A membership event names the member as they were called then ("Ann removed Ben"): a
-- removed member may no longer be visible to the ones who read the chat later.
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
