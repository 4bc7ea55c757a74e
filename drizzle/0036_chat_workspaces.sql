-- Every chat belongs to one workspace, and a request sees and writes only the chats of the
-- workspace it runs in (get_current_tenant_id(), which holds only for its members). The
-- membership sets every chat policy asks (my_chat_ids(), is_chat_member(), chat_role())
-- carry the condition, so every table hanging off a chat follows; a chat's members are
-- members of its workspace; a direct chat is one per pair in each workspace; the people one
-- can find are the members of one's workspaces.
ALTER TABLE public.chats ADD COLUMN IF NOT EXISTS "organizationId" uuid REFERENCES public.organization(id);
--> statement-breakpoint
ALTER TABLE public.api_keys ADD COLUMN IF NOT EXISTS "organizationId" uuid REFERENCES public.organization(id);
--> statement-breakpoint
-- An upgraded deployment's chats and API keys go to the workspace 0035 made for it, the one
-- everyone is in.
DO $$
DECLARE
  deployment uuid;
BEGIN
  SELECT m."organizationId" INTO deployment FROM public.member m
  GROUP BY m."organizationId"
  ORDER BY count(*) DESC, min(m."createdAt"), m."organizationId"
  LIMIT 1;
  UPDATE public.chats SET "organizationId" = deployment WHERE "organizationId" IS NULL;
  UPDATE public.api_keys SET "organizationId" = deployment WHERE "organizationId" IS NULL;
END
$$;
--> statement-breakpoint
ALTER TABLE public.chats ALTER COLUMN "organizationId" SET NOT NULL;
--> statement-breakpoint
ALTER TABLE public.chats ALTER COLUMN "organizationId" SET DEFAULT public.get_current_tenant_id();
--> statement-breakpoint
-- Each membership carries its chat's workspace, so the caller's chats in the request's
-- workspace are one index range, as their chats were before workspaces.
ALTER TABLE public.chat_members ADD COLUMN IF NOT EXISTS "organizationId" uuid REFERENCES public.organization(id);
--> statement-breakpoint
UPDATE public.chat_members m SET "organizationId" = c."organizationId"
FROM public.chats c WHERE c.id = m."chatId" AND m."organizationId" IS NULL;
--> statement-breakpoint
ALTER TABLE public.chat_members ALTER COLUMN "organizationId" SET NOT NULL;
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS idx_chat_members_user_workspace ON public.chat_members ("userId", "organizationId");
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS idx_chats_organization_id ON public.chats ("organizationId");
--> statement-breakpoint
ALTER TABLE public.chats DROP CONSTRAINT IF EXISTS "chats_directKey_unique";
--> statement-breakpoint
ALTER TABLE public.chats ADD CONSTRAINT chats_direct_key_per_workspace UNIQUE ("organizationId", "directKey");
--> statement-breakpoint
-- A chat or an API key made for a request is made in the request's workspace, whatever the
-- insert names; one made by the owner (a seed) names its own. Its workspace never changes.
CREATE OR REPLACE FUNCTION public.workspace_row_guard()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
  tenant uuid;
BEGIN
  IF TG_OP = 'UPDATE' THEN
    IF NEW."organizationId" IS DISTINCT FROM OLD."organizationId" THEN
      RAISE EXCEPTION 'A % stays in its workspace', TG_ARGV[0] USING ERRCODE = '42501';
    END IF;
    RETURN NEW;
  END IF;
  IF public.get_auth_user_id() IS NOT NULL THEN
    tenant := public.get_current_tenant_id();
    IF tenant IS NULL THEN
      RAISE EXCEPTION 'Choose a workspace first' USING ERRCODE = '42501';
    END IF;
    NEW."organizationId" := tenant;
  END IF;
  RETURN NEW;
END
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION public.workspace_row_guard() FROM PUBLIC;
--> statement-breakpoint
CREATE OR REPLACE TRIGGER chats_workspace_guard BEFORE INSERT OR UPDATE OF "organizationId" ON public.chats
  FOR EACH ROW EXECUTE FUNCTION public.workspace_row_guard('chat');
--> statement-breakpoint
-- Only members of a chat's workspace are members of the chat, however they are added; the
-- membership takes the chat's workspace, for good.
CREATE OR REPLACE FUNCTION public.chat_members_workspace_guard()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
  workspace uuid;
BEGIN
  IF TG_OP = 'UPDATE' THEN
    IF NEW."organizationId" IS DISTINCT FROM OLD."organizationId" OR NEW."chatId" <> OLD."chatId" THEN
      RAISE EXCEPTION 'A membership stays with its chat' USING ERRCODE = '42501';
    END IF;
    RETURN NEW;
  END IF;
  SELECT c."organizationId" INTO workspace
  FROM public.chats c
  JOIN public.member w ON w."organizationId" = c."organizationId" AND w."userId" = NEW."userId"
  WHERE c.id = NEW."chatId";
  IF workspace IS NULL THEN
    RAISE EXCEPTION 'Only members of the workspace can be in its chats' USING ERRCODE = '22023';
  END IF;
  NEW."organizationId" := workspace;
  RETURN NEW;
END
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION public.chat_members_workspace_guard() FROM PUBLIC;
--> statement-breakpoint
CREATE OR REPLACE TRIGGER chat_members_workspace_guard
  BEFORE INSERT OR UPDATE OF "organizationId", "chatId" ON public.chat_members
  FOR EACH ROW EXECUTE FUNCTION public.chat_members_workspace_guard();
--> statement-breakpoint
-- The membership sets, now of the request's workspace only.
CREATE OR REPLACE FUNCTION public.my_chat_ids()
RETURNS SETOF uuid
LANGUAGE plpgsql
STABLE
SECURITY DEFINER
SET search_path = ''
ROWS 100
AS $$
DECLARE
  tenant uuid := public.get_current_tenant_id();
BEGIN
  IF tenant IS NULL THEN
    RETURN;
  END IF;
  RETURN QUERY
    SELECT m."chatId" FROM public.chat_members m
    WHERE m."userId" = public.get_auth_user_id() AND m."organizationId" = tenant;
END
$$;
--> statement-breakpoint
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
      AND m."organizationId" = public.get_current_tenant_id()
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
    AND m."organizationId" = public.get_current_tenant_id()
$$;
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
    WHERE theirs."userId" = other AND theirs."chatId" IN (SELECT public.my_chat_ids())
  )
$$;
--> statement-breakpoint
-- The helpers that check membership in their own statements (0016, for speed), with the
-- workspace too.
CREATE OR REPLACE FUNCTION public.hidden_read_pointers(p_chat_id uuid)
RETURNS SETOF uuid
LANGUAGE plpgsql
STABLE
SECURITY DEFINER
SET search_path = ''
ROWS 10
AS $$
DECLARE
  me uuid := public.get_auth_user_id();
BEGIN
  IF me IS NULL OR NOT EXISTS (
    SELECT 1 FROM public.chat_members m
    WHERE m."chatId" = p_chat_id AND m."userId" = me
      AND m."organizationId" = public.get_current_tenant_id()
  ) THEN
    RETURN;
  END IF;
  RETURN QUERY
    SELECT m."userId" FROM public.chat_members m
    WHERE m."chatId" = p_chat_id AND m."userId" <> me
      AND EXISTS (
        SELECT 1 FROM public.user_metas um
        WHERE um."userId" IN (me, m."userId") AND um."metaKey" = 'privacy.readReceipts'
          AND um."metaValue" = 'false'::jsonb
      );
END
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION public.read_receipts_shared_in_chat(p_chat_id uuid)
RETURNS boolean
LANGUAGE plpgsql
STABLE
SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
  me uuid := public.get_auth_user_id();
BEGIN
  RETURN me IS NOT NULL
    AND EXISTS (
      SELECT 1 FROM public.chat_members m
      WHERE m."chatId" = p_chat_id AND m."userId" = me
        AND m."organizationId" = public.get_current_tenant_id()
    )
    AND NOT EXISTS (
      SELECT 1 FROM public.chat_members m
      JOIN public.user_metas um ON um."userId" = m."userId"
      WHERE m."chatId" = p_chat_id
        AND um."metaKey" = 'privacy.readReceipts'
        AND um."metaValue" = 'false'::jsonb
    );
END
$$;
--> statement-breakpoint
-- A group is made in the request's workspace (the chats trigger), with members of it.
CREATE OR REPLACE FUNCTION public.create_group_chat(p_name text, p_description text, p_member_ids uuid[])
RETURNS uuid
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
  me uuid := public.get_auth_user_id();
  tenant uuid := public.get_current_tenant_id();
  members uuid[];
  found_count int;
  new_id uuid;
BEGIN
  IF me IS NULL THEN
    RAISE EXCEPTION 'Sign in to create a chat' USING ERRCODE = '42501';
  END IF;
  IF tenant IS NULL THEN
    RAISE EXCEPTION 'Choose a workspace first' USING ERRCODE = '42501';
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
  SELECT count(*) INTO found_count FROM public."user" u
  JOIN public.member w ON w."userId" = u.id AND w."organizationId" = tenant
  WHERE u.id = ANY (members) AND u.banned = false;
  IF found_count <> cardinality(members) THEN
    RAISE EXCEPTION 'memberIds must name people in this workspace' USING ERRCODE = '22023';
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
-- One direct chat per pair in each workspace, with someone in it.
CREATE OR REPLACE FUNCTION public.create_direct_chat(p_other uuid)
RETURNS uuid
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
  me uuid := public.get_auth_user_id();
  tenant uuid := public.get_current_tenant_id();
  key text;
  chat_id uuid;
BEGIN
  IF me IS NULL THEN
    RAISE EXCEPTION 'Sign in to create a chat' USING ERRCODE = '42501';
  END IF;
  IF tenant IS NULL THEN
    RAISE EXCEPTION 'Choose a workspace first' USING ERRCODE = '42501';
  END IF;
  IF p_other = me THEN
    RAISE EXCEPTION 'You cannot start a direct chat with yourself' USING ERRCODE = '22023';
  END IF;
  IF NOT EXISTS (
    SELECT 1 FROM public."user" u
    JOIN public.member w ON w."userId" = u.id AND w."organizationId" = tenant
    WHERE u.id = p_other AND u.banned = false
  ) THEN
    RAISE EXCEPTION 'User not found' USING ERRCODE = 'P0002';
  END IF;
  key := least(me, p_other)::text || ':' || greatest(me, p_other)::text;
  INSERT INTO public.chats (type, "directKey", "createdBy") VALUES ('direct', key, me)
  ON CONFLICT ("organizationId", "directKey") DO NOTHING;
  SELECT c.id INTO chat_id FROM public.chats c WHERE c."organizationId" = tenant AND c."directKey" = key;
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
-- The room directory and joining a room: the request's workspace only, and not for guests,
-- who see only the chats they are added to.
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
    AND c."organizationId" = public.get_current_tenant_id()
    AND public.workspace_role(c."organizationId") <> 'guest'
    AND c.visibility = 'public' AND c."deletedAt" IS NULL
    AND (p_query IS NULL
         OR strpos(lower(c.name), lower(p_query)) > 0
         OR strpos(lower(coalesce(c.description, '')), lower(p_query)) > 0)
    AND (p_after_name IS NULL OR (lower(c.name), c.id) > (lower(p_after_name), p_after_id))
  ORDER BY lower(c.name), c.id
  LIMIT least(greatest(p_limit, 1), 100)
$$;
--> statement-breakpoint
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
    AND c."organizationId" = public.get_current_tenant_id()
    AND public.workspace_role(c."organizationId") <> 'guest'
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
-- People: the members of the request's workspace (and, as before, oneself, one's chat
-- partners and, for site admins, everyone). One set per statement, read with the owner's
-- rights (as my_chat_ids(): PL/pgSQL, so its plan is kept and the role switched once).
CREATE OR REPLACE FUNCTION public.workspace_member_ids()
RETURNS SETOF uuid
LANGUAGE plpgsql
STABLE
SECURITY DEFINER
SET search_path = ''
ROWS 100
AS $$
DECLARE
  tenant uuid := public.get_current_tenant_id();
BEGIN
  IF tenant IS NULL THEN
    RETURN;
  END IF;
  RETURN QUERY SELECT m."userId" FROM public.member m WHERE m."organizationId" = tenant;
END
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION public.workspace_member_ids() FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION public.workspace_member_ids() TO authenticated;
--> statement-breakpoint
ALTER POLICY user_select_directory ON public."user"
  USING (banned = false AND id IN (SELECT public.workspace_member_ids()));
--> statement-breakpoint
-- A chat's realtime topic, like the chat, only in the workspace the token was minted in.
CREATE OR REPLACE FUNCTION public.realtime_can_join(topic text)
RETURNS boolean
LANGUAGE plpgsql
STABLE
SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
  uuid_pattern constant text := '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
  me uuid := public.get_auth_user_id();
BEGIN
  -- Signed in and not banned (a ban past its expiry no longer counts).
  IF topic IS NULL OR NOT EXISTS (
    SELECT 1 FROM public."user" u
    WHERE u.id = me
      AND (u.banned IS NOT TRUE OR (u."banExpires" IS NOT NULL AND u."banExpires" <= now()))
  ) THEN
    RETURN false;
  END IF;
  IF topic = 'presence:online' THEN
    RETURN true;
  END IF;
  IF topic ~ ('^chat:' || uuid_pattern || '$') THEN
    RETURN EXISTS (
      SELECT 1 FROM public.chat_members m
      WHERE m."chatId" = substr(topic, 6)::uuid AND m."userId" = me
        AND m."organizationId" = public.get_current_tenant_id()
    );
  END IF;
  IF topic ~ ('^user:' || uuid_pattern || '$') THEN
    RETURN substr(topic, 6)::uuid = me;
  END IF;
  RETURN false;
END
$$;
--> statement-breakpoint
-- An API key works in the workspace it was made in (the request's, whatever it names), and
-- only while its owner is a member of it.
ALTER TABLE public.api_keys ALTER COLUMN "organizationId" SET NOT NULL;
--> statement-breakpoint
ALTER TABLE public.api_keys ALTER COLUMN "organizationId" SET DEFAULT public.get_current_tenant_id();
--> statement-breakpoint
CREATE OR REPLACE TRIGGER api_keys_workspace_guard BEFORE INSERT OR UPDATE OF "organizationId" ON public.api_keys
  FOR EACH ROW EXECUTE FUNCTION public.workspace_row_guard('key');
--> statement-breakpoint
-- Named in an insert (the trigger sets it to the request's workspace whatever it says).
GRANT INSERT ("organizationId") ON public.api_keys TO authenticated;
--> statement-breakpoint
DROP FUNCTION IF EXISTS public.find_api_key(text, text);
--> statement-breakpoint
CREATE OR REPLACE FUNCTION public.find_api_key(p_prefix text, p_hash text)
RETURNS TABLE(id uuid, "userId" uuid, "organizationId" uuid, scopes text[], "rateLimit" integer,
              revoked boolean, "expiresAt" timestamptz, "ownerBanned" boolean)
LANGUAGE plpgsql
STABLE SECURITY DEFINER
SET search_path = ''
AS $$
#variable_conflict use_column
BEGIN
  RETURN QUERY
    SELECT k.id, k."userId",
      -- The key's workspace while its owner is a member of it; else none.
      (SELECT m."organizationId" FROM public.member m
       WHERE m."userId" = k."userId" AND m."organizationId" = k."organizationId"),
      k.scopes, k."rateLimit", k.revoked, k."expiresAt",
      (u.banned AND (u."banExpires" IS NULL OR u."banExpires" > now())) AS "ownerBanned"
    FROM public.api_keys k
    JOIN public."user" u ON u.id = k."userId"
    WHERE k.prefix = p_prefix AND k.key = p_hash;
END
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION public.find_api_key(text, text) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION public.find_api_key(text, text) TO anon, authenticated;
--> statement-breakpoint
-- One's own rows of a chat, too, only in the chat's workspace: one's membership of a chat of
-- another workspace is that workspace's.
ALTER POLICY chat_members_select_member ON public.chat_members
  USING ("chatId" IN (SELECT public.my_chat_ids()));
--> statement-breakpoint
ALTER POLICY chat_members_update_self ON public.chat_members
  USING ("userId" = (SELECT public.get_auth_user_id()) AND "chatId" IN (SELECT public.my_chat_ids()))
  WITH CHECK ("userId" = (SELECT public.get_auth_user_id()) AND "chatId" IN (SELECT public.my_chat_ids()));
--> statement-breakpoint
ALTER POLICY chat_members_delete_self ON public.chat_members
  USING ("userId" = (SELECT public.get_auth_user_id()) AND "chatId" IN (SELECT public.my_chat_ids()));
--> statement-breakpoint
ALTER POLICY message_attachments_delete_uploader ON public.message_attachments
  USING ("uploaderId" = (SELECT public.get_auth_user_id()) AND "messageId" IS NULL
         AND "chatId" IN (SELECT public.my_chat_ids()));
--> statement-breakpoint
ALTER POLICY message_attachments_update_uploader ON public.message_attachments
  USING ("uploaderId" = (SELECT public.get_auth_user_id()) AND "messageId" IS NULL
         AND "chatId" IN (SELECT public.my_chat_ids()))
  WITH CHECK ("uploaderId" = (SELECT public.get_auth_user_id()));
--> statement-breakpoint
ALTER POLICY message_reactions_delete_own ON public.message_reactions
  USING ("userId" = (SELECT public.get_auth_user_id()) AND "chatId" IN (SELECT public.my_chat_ids()));
--> statement-breakpoint
ALTER POLICY saved_messages_delete_own ON public.saved_messages
  USING ("userId" = (SELECT public.get_auth_user_id()) AND "chatId" IN (SELECT public.my_chat_ids()));
--> statement-breakpoint
-- Which workspace a key works in is the key's owner's to see.
GRANT SELECT ("organizationId") ON public.api_keys TO authenticated;
