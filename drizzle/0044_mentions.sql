-- Mentions: a message names a person as `<@user-id>` and everyone in the chat as `<@channel>`
-- (all members) or `<@here>` (those online when it is delivered). The text keeps the id, not
-- the name, so a mention survives a rename; `message_mentions` holds one row per mentioned
-- member, written by the database from the text, so the "@" badge, the Mentions view and the
-- notification pipeline read the same thing. Notifying everyone takes `chat.mention_all`.
CREATE OR REPLACE FUNCTION public.valid_role_permissions(role text, permission text)
RETURNS boolean
LANGUAGE plpgsql
IMMUTABLE
SET search_path = ''
AS $$
DECLARE
  catalogue constant text[] := ARRAY['view', 'create_group', 'manage_group', 'delete',
                                     'initiate_call', 'join_rooms', 'mention_all'];
  value jsonb;
  actions text[];
BEGIN
  BEGIN
    value := permission::jsonb;
  EXCEPTION WHEN others THEN
    RETURN false;
  END;
  IF jsonb_typeof(value) <> 'object' OR (SELECT count(*) FROM jsonb_object_keys(value)) <> 1
     OR jsonb_typeof(value -> 'chat') IS DISTINCT FROM 'array' THEN
    RETURN false;
  END IF;
  SELECT coalesce(array_agg(a), '{}') INTO actions FROM jsonb_array_elements_text(value -> 'chat') AS a;
  RETURN actions <@ catalogue AND 'view' = ANY (actions)
         AND (role <> 'owner' OR actions @> catalogue);
EXCEPTION WHEN others THEN
  RETURN false;
END
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION public.workspace_role_templates()
RETURNS TABLE(role text, permission text)
LANGUAGE sql
IMMUTABLE
SET search_path = ''
AS $$
  VALUES
    ('owner', '{"chat":["view","create_group","manage_group","delete","initiate_call","join_rooms","mention_all"]}'),
    ('admin', '{"chat":["view","create_group","manage_group","delete","initiate_call","join_rooms","mention_all"]}'),
    ('member', '{"chat":["view","create_group","manage_group","delete","initiate_call","join_rooms","mention_all"]}'),
    ('guest', '{"chat":["view","initiate_call"]}')
$$;
--> statement-breakpoint
-- Anyone could type "@channel" before: the built-in roles that could keep it, and owners
-- always hold everything. Custom roles and guests are left as their admins made them.
UPDATE public.organization_role
SET permission = jsonb_build_object('chat', (permission::jsonb -> 'chat') || '["mention_all"]'::jsonb)::text
WHERE role IN ('owner', 'admin', 'member')
  AND NOT (permission::jsonb -> 'chat') ? 'mention_all';
--> statement-breakpoint
CREATE TABLE public.message_mentions (
  "messageId" uuid NOT NULL REFERENCES public.messages(id) ON DELETE CASCADE,
  "userId" uuid NOT NULL REFERENCES public."user"(id) ON DELETE CASCADE,
  "chatId" uuid NOT NULL REFERENCES public.chats(id) ON DELETE CASCADE,
  seq bigint NOT NULL,
  "threadRootId" uuid REFERENCES public.messages(id) ON DELETE CASCADE,
  kind text NOT NULL,
  "createdAt" timestamptz NOT NULL,
  CONSTRAINT message_mentions_pkey PRIMARY KEY ("messageId", "userId"),
  CONSTRAINT message_mentions_kind CHECK (kind IN ('user', 'here', 'channel'))
);
--> statement-breakpoint
CREATE INDEX idx_message_mentions_user_created_at ON public.message_mentions ("userId", "createdAt" DESC, "messageId");
--> statement-breakpoint
CREATE INDEX idx_message_mentions_chat_user_seq ON public.message_mentions ("chatId", "userId", seq);
--> statement-breakpoint
ALTER TABLE public.message_mentions ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE public.message_mentions FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
-- One's own mentions, in the chats one is in now (in the request's workspace).
CREATE POLICY message_mentions_select_own ON public.message_mentions FOR SELECT TO authenticated
  USING ("userId" = (SELECT public.get_auth_user_id())
         AND "chatId" IN (SELECT "chatId" FROM public.my_chat_memberships));
--> statement-breakpoint
GRANT SELECT ON public.message_mentions TO authenticated;
--> statement-breakpoint
-- The mentions a text makes, each once: user ids, 'here' and 'channel'.
CREATE OR REPLACE FUNCTION public.mention_targets(content text)
RETURNS SETOF text
LANGUAGE sql
IMMUTABLE
SET search_path = ''
AS $$
  SELECT DISTINCT lower(m[1])
  FROM regexp_matches(content,
    '<@([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|here|channel)>', 'g') AS m
  WHERE strpos(content, '<@') > 0
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION public.mention_targets(text) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION public.mention_targets(text) TO authenticated;
--> statement-breakpoint
-- A text with its mentions as the reader sees them: "@Ann", "@channel"; a person the reader
-- may not see is "@someone". Runs with the caller's rights, so RLS decides which names show.
CREATE OR REPLACE FUNCTION public.mentions_as_names(content text)
RETURNS text
LANGUAGE plpgsql
STABLE
SET search_path = ''
AS $$
DECLARE
  result text := content;
  target text;
BEGIN
  IF content IS NULL OR strpos(content, '<@') = 0 THEN
    RETURN content;
  END IF;
  FOR target IN SELECT public.mention_targets(content) LOOP
    result := regexp_replace(result, '<@' || target || '>', '@' || CASE
      WHEN target IN ('here', 'channel') THEN target
      ELSE coalesce((SELECT u.name FROM public."user" u WHERE u.id = target::uuid), 'someone')
    END, 'gi');
  END LOOP;
  RETURN result;
END
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION public.mentions_as_names(text) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION public.mentions_as_names(text) TO authenticated;
--> statement-breakpoint
-- What a request may mention: at most 50 people in one message, and everyone only with
-- `chat.mention_all`. An edit is held to the same rules for what it adds.
CREATE OR REPLACE FUNCTION public.messages_mention_guard()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = ''
AS $$
DECLARE
  targets text[];
  before text[] := '{}';
BEGIN
  IF NOT public.is_request_role() OR strpos(NEW.content, '<@') = 0 THEN
    RETURN NEW;
  END IF;
  SELECT coalesce(array_agg(t), '{}') INTO targets FROM public.mention_targets(NEW.content) AS t;
  IF TG_OP = 'UPDATE' THEN
    SELECT coalesce(array_agg(t), '{}') INTO before FROM public.mention_targets(OLD.content) AS t;
  END IF;
  IF cardinality(array_remove(array_remove(targets, 'here'), 'channel')) > 50 THEN
    RAISE EXCEPTION 'A message can mention at most 50 people' USING ERRCODE = '22023';
  END IF;
  IF (('here' = ANY (targets) AND NOT 'here' = ANY (before))
      OR ('channel' = ANY (targets) AND NOT 'channel' = ANY (before)))
     AND NOT public.has_permission('chat.mention_all') THEN
    RAISE EXCEPTION 'Your role in this workspace may not notify everyone (needs chat.mention_all)'
      USING ERRCODE = '42501';
  END IF;
  RETURN NEW;
END
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION public.messages_mention_guard() FROM PUBLIC;
--> statement-breakpoint
CREATE TRIGGER c_messages_mention_guard BEFORE INSERT OR UPDATE OF content ON public.messages
  FOR EACH ROW EXECUTE FUNCTION public.messages_mention_guard();
--> statement-breakpoint
-- The mention rows of one message, from its text: the members it names (never its sender),
-- or every member for `<@here>` and `<@channel>`. Rewritten when the text changes; a deleted
-- message mentions nobody.
CREATE OR REPLACE FUNCTION public.messages_record_mentions()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
  targets text[];
BEGIN
  IF TG_OP = 'UPDATE' THEN
    IF NEW.content IS NOT DISTINCT FROM OLD.content AND NEW."deletedAt" IS NOT DISTINCT FROM OLD."deletedAt" THEN
      RETURN NULL;
    END IF;
    DELETE FROM public.message_mentions mm WHERE mm."messageId" = NEW.id;
  END IF;
  IF NEW."deletedAt" IS NOT NULL OR NEW.type = 'system' OR strpos(NEW.content, '<@') = 0 THEN
    RETURN NULL;
  END IF;
  SELECT coalesce(array_agg(t), '{}') INTO targets FROM public.mention_targets(NEW.content) AS t;
  INSERT INTO public.message_mentions ("messageId", "userId", "chatId", seq, "threadRootId", kind, "createdAt")
  SELECT NEW.id, m."userId", NEW."chatId", NEW.seq, NEW."threadRootId",
         CASE WHEN m."userId"::text = ANY (targets) THEN 'user'
              WHEN 'channel' = ANY (targets) THEN 'channel'
              ELSE 'here' END,
         NEW."createdAt"
  FROM public.chat_members m
  WHERE m."chatId" = NEW."chatId"
    AND m."userId" IS DISTINCT FROM NEW."senderId"
    AND (m."userId"::text = ANY (targets) OR targets && ARRAY['here', 'channel']);
  RETURN NULL;
END
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION public.messages_record_mentions() FROM PUBLIC;
--> statement-breakpoint
CREATE TRIGGER messages_record_mentions AFTER INSERT OR UPDATE OF content, "deletedAt" ON public.messages
  FOR EACH ROW EXECUTE FUNCTION public.messages_record_mentions();
