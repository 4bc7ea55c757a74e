-- Roles whose permissions are data: each workspace has its roles (owner, admin, member and
-- guest, made from templates when the workspace is) in Better Auth's dynamic access control
-- table, and the chat policies ask has_permission() what the request's role may do.
CREATE TABLE public.organization_role (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  "organizationId" uuid NOT NULL REFERENCES public.organization(id) ON DELETE CASCADE,
  role text NOT NULL,
  permission text NOT NULL,
  "createdAt" timestamptz NOT NULL DEFAULT now(),
  "updatedAt" timestamptz,
  CONSTRAINT organization_role_once UNIQUE ("organizationId", role),
  -- The templates only, until workspaces make roles of their own.
  CONSTRAINT organization_role_name CHECK (role IN ('owner', 'admin', 'member', 'guest'))
);
--> statement-breakpoint
ALTER TABLE public.organization_role ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
-- Members read their workspaces' roles; every change goes through Better Auth.
CREATE POLICY organization_role_select_member ON public.organization_role FOR SELECT TO authenticated
  USING ("organizationId" IN (SELECT public.my_workspace_ids()));
--> statement-breakpoint
GRANT SELECT ON public.organization_role TO authenticated;
--> statement-breakpoint
-- A role's permissions, as Better Auth stores them: {"chat": [actions]}, the actions from
-- Parley's catalogue (contracts/permissions.ts), reading chats always among them, and the
-- owner's all of them (a workspace's owners can always do everything).
CREATE OR REPLACE FUNCTION public.valid_role_permissions(role text, permission text)
RETURNS boolean
LANGUAGE plpgsql
IMMUTABLE
SET search_path = ''
AS $$
DECLARE
  catalogue constant text[] := ARRAY['view', 'create_group', 'manage_group', 'delete',
                                     'initiate_call', 'join_rooms'];
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
REVOKE ALL ON FUNCTION public.valid_role_permissions(text, text) FROM PUBLIC;
--> statement-breakpoint
ALTER TABLE public.organization_role ADD CONSTRAINT organization_role_permission
  CHECK (public.valid_role_permissions(role, permission));
--> statement-breakpoint
-- The templates a workspace's roles start from (docs/PERMISSIONS.md).
CREATE OR REPLACE FUNCTION public.workspace_role_templates()
RETURNS TABLE(role text, permission text)
LANGUAGE sql
IMMUTABLE
SET search_path = ''
AS $$
  VALUES
    ('owner', '{"chat":["view","create_group","manage_group","delete","initiate_call","join_rooms"]}'),
    ('admin', '{"chat":["view","create_group","manage_group","delete","initiate_call","join_rooms"]}'),
    ('member', '{"chat":["view","create_group","manage_group","delete","initiate_call","join_rooms"]}'),
    ('guest', '{"chat":["view","initiate_call"]}')
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION public.workspace_role_templates() FROM PUBLIC;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION public.organization_roles_from_templates()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = ''
AS $$
BEGIN
  INSERT INTO public.organization_role ("organizationId", role, permission)
  SELECT NEW.id, t.role, t.permission FROM public.workspace_role_templates() t;
  RETURN NULL;
END
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION public.organization_roles_from_templates() FROM PUBLIC;
--> statement-breakpoint
CREATE OR REPLACE TRIGGER organization_roles_from_templates AFTER INSERT ON public.organization
  FOR EACH ROW EXECUTE FUNCTION public.organization_roles_from_templates();
--> statement-breakpoint
INSERT INTO public.organization_role ("organizationId", role, permission)
SELECT o.id, t.role, t.permission FROM public.organization o CROSS JOIN public.workspace_role_templates() t
ON CONFLICT DO NOTHING;
--> statement-breakpoint
-- The caller's permissions in the request's workspace, as 'chat.<action>'.
CREATE OR REPLACE FUNCTION public.my_permissions()
RETURNS text[]
LANGUAGE sql
STABLE
SECURITY DEFINER
SET search_path = ''
AS $$
  SELECT coalesce(array_agg(DISTINCT 'chat.' || a), '{}')
  FROM public.member m
  JOIN public.organization_role r
    ON r."organizationId" = m."organizationId" AND r.role = m.role
  CROSS JOIN LATERAL jsonb_array_elements_text(r.permission::jsonb -> 'chat') AS a
  WHERE m."userId" = public.get_auth_user_id()
    AND m."organizationId" = public.get_current_tenant_id()
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION public.my_permissions() FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION public.my_permissions() TO authenticated;
--> statement-breakpoint
-- Whether the caller's role in the request's workspace grants `permission`.
CREATE OR REPLACE FUNCTION public.has_permission(permission text)
RETURNS boolean
LANGUAGE sql
STABLE
SECURITY DEFINER
SET search_path = ''
AS $$
  SELECT permission = ANY (public.my_permissions())
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION public.has_permission(text) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION public.has_permission(text) TO authenticated;
--> statement-breakpoint
-- What a group role may do, as the workspace role allows: managing a group takes being its
-- owner or an admin, deleting or handing it over its owner, and the permission either way.
CREATE OR REPLACE FUNCTION public.chat_role_allows(chat_id uuid, permission text)
RETURNS boolean
LANGUAGE sql
STABLE
SECURITY DEFINER
SET search_path = ''
AS $$
  SELECT coalesce(
    CASE permission
      WHEN 'chat.manage_group' THEN public.chat_role(chat_id) IN ('owner', 'admin')
      WHEN 'chat.delete' THEN public.chat_role(chat_id) = 'owner'
    END, false)
    AND public.has_permission(permission)
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION public.chat_role_allows(uuid, text) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION public.chat_role_allows(uuid, text) TO authenticated;
--> statement-breakpoint
DROP POLICY chat_members_delete_group_admin ON public.chat_members;
--> statement-breakpoint
CREATE POLICY chat_members_delete_group_admin ON public.chat_members FOR DELETE TO authenticated
  USING ((SELECT public.is_group_chat(chat_members."chatId")) AND (SELECT public.chat_role_allows(chat_members."chatId", 'chat.manage_group')));
--> statement-breakpoint
DROP POLICY chat_members_insert_group_admin ON public.chat_members;
--> statement-breakpoint
CREATE POLICY chat_members_insert_group_admin ON public.chat_members FOR INSERT TO authenticated
  WITH CHECK (role <> 'owner' AND (SELECT public.is_group_chat(chat_members."chatId"))
              AND (SELECT public.chat_role_allows(chat_members."chatId", 'chat.manage_group')));
--> statement-breakpoint
DROP POLICY chat_members_update_group_admin ON public.chat_members;
--> statement-breakpoint
CREATE POLICY chat_members_update_group_admin ON public.chat_members FOR UPDATE TO authenticated
  USING ((SELECT public.is_group_chat(chat_members."chatId")) AND (SELECT public.chat_role_allows(chat_members."chatId", 'chat.manage_group')))
  WITH CHECK ((SELECT public.is_group_chat(chat_members."chatId")) AND (SELECT public.chat_role_allows(chat_members."chatId", 'chat.manage_group')));
--> statement-breakpoint
DROP POLICY chats_update_group_admin ON public.chats;
--> statement-breakpoint
CREATE POLICY chats_update_group_admin ON public.chats FOR UPDATE TO authenticated
  USING (type = 'group' AND (SELECT public.chat_role_allows(chats.id, 'chat.manage_group')))
  WITH CHECK (type = 'group' AND (SELECT public.chat_role_allows(chats.id, 'chat.manage_group')));
--> statement-breakpoint
DROP POLICY messages_update_group_admin ON public.messages;
--> statement-breakpoint
CREATE POLICY messages_update_group_admin ON public.messages FOR UPDATE TO authenticated
  USING ((SELECT public.is_group_chat(messages."chatId")) AND (SELECT public.chat_role_allows(messages."chatId", 'chat.manage_group')))
  WITH CHECK ((SELECT public.is_group_chat(messages."chatId")) AND (SELECT public.chat_role_allows(messages."chatId", 'chat.manage_group')));
--> statement-breakpoint
DROP POLICY message_pins_delete_member ON public.message_pins;
--> statement-breakpoint
CREATE POLICY message_pins_delete_member ON public.message_pins FOR DELETE TO authenticated
  USING ("chatId" IN (SELECT public.my_chat_ids())
         AND ("pinnedBy" = (SELECT public.get_auth_user_id())
              OR NOT (SELECT public.is_group_chat(message_pins."chatId"))
              OR (SELECT public.chat_role_allows(message_pins."chatId", 'chat.manage_group'))));
--> statement-breakpoint
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
  IF NOT public.has_permission('chat.create_group') THEN
    RAISE EXCEPTION 'Your role in this workspace cannot create groups (needs chat.create_group)'
      USING ERRCODE = '42501';
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
  IF me IS NULL OR NOT public.chat_role_allows(p_chat_id, 'chat.delete') OR NOT EXISTS (
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
  IF NOT public.chat_role_allows(p_chat_id, 'chat.delete') OR NOT public.is_group_chat(p_chat_id) THEN
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
    AND (SELECT public.has_permission('chat.join_rooms'))
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
CREATE OR REPLACE FUNCTION public.public_room_directory(p_query text, p_after_name text, p_after_id uuid, p_limit integer)
 RETURNS TABLE(id uuid, name text, description text, "avatarPath" text, "memberCount" integer, joined boolean)
 LANGUAGE sql
 STABLE SECURITY DEFINER
 SET search_path = ''
AS $$
  SELECT c.id, c.name, c.description, c."avatarPath", c."memberCount",
         EXISTS (SELECT 1 FROM public.chat_members m
                 WHERE m."chatId" = c.id AND m."userId" = public.get_auth_user_id())
  FROM public.chats c
  WHERE public.get_auth_user_id() IS NOT NULL
    AND c."organizationId" = public.get_current_tenant_id()
    AND (SELECT public.has_permission('chat.join_rooms'))
    AND c.visibility = 'public' AND c."deletedAt" IS NULL
    AND (p_query IS NULL
         OR strpos(lower(c.name), lower(p_query)) > 0
         OR strpos(lower(coalesce(c.description, '')), lower(p_query)) > 0)
    AND (p_after_name IS NULL OR (lower(c.name), c.id) > (lower(p_after_name), p_after_id))
  ORDER BY lower(c.name), c.id
  LIMIT least(greatest(p_limit, 1), 100)
$$;
