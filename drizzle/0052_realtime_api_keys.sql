-- API keys may carry `webhooks:read` and `webhooks:write` (REST v1 manages webhook endpoints),
-- and `realtime:connect`: REST v1 mints a realtime token for the key's owner
-- (`api_key_id` in place of a session's `session_id`). A channel is joined only while the key
-- is usable, and every instance hears the moment it stops being so (revoked, deleted,
-- expired early, its owner banned or leaving) and closes the channels joined with its tokens.
ALTER TABLE public.api_keys DROP CONSTRAINT IF EXISTS api_keys_scopes_known;
--> statement-breakpoint
ALTER TABLE public.api_keys ADD CONSTRAINT api_keys_scopes_known CHECK (
  scopes <@ ARRAY['profile:read', 'metas:read', 'metas:write', 'chats:read', 'chats:write',
                  'messages:read', 'messages:write', 'audit:read', 'realtime:connect',
                  'webhooks:read', 'webhooks:write']::text[]
);
--> statement-breakpoint

CREATE OR REPLACE FUNCTION public.api_key_is_live(p_key uuid)
 RETURNS boolean
 LANGUAGE sql
 STABLE SECURITY DEFINER
 SET search_path TO ''
AS $function$
  SELECT EXISTS (
    SELECT 1 FROM public.api_keys k
    JOIN public."user" u ON u.id = k."userId"
    WHERE k.id = p_key
      AND k."userId" = public.get_auth_user_id()
      AND NOT k.revoked
      AND (k."expiresAt" IS NULL OR k."expiresAt" > now())
      AND 'realtime:connect' = ANY (k.scopes)
      AND NOT (u.banned AND (u."banExpires" IS NULL OR u."banExpires" > now()))
      AND NOT EXISTS (SELECT 1 FROM public.account_deletions d WHERE d."userId" = k."userId")
  )
$function$;--> statement-breakpoint
REVOKE EXECUTE ON FUNCTION public.api_key_is_live(uuid) FROM PUBLIC;--> statement-breakpoint
GRANT EXECUTE ON FUNCTION public.api_key_is_live(uuid) TO authenticated;--> statement-breakpoint

CREATE OR REPLACE FUNCTION public.notify_api_key_ended()
 RETURNS trigger
 LANGUAGE plpgsql
 SET search_path TO ''
AS $function$
BEGIN
  IF TG_OP = 'DELETE' THEN
    PERFORM pg_catalog.pg_notify('parley_api_keys_ended', OLD.id::text);
    RETURN NULL;
  END IF;
  IF NEW.revoked OR (NEW."expiresAt" IS NOT NULL AND NEW."expiresAt" <= now()) THEN
    PERFORM pg_catalog.pg_notify('parley_api_keys_ended', NEW.id::text);
  END IF;
  RETURN NULL;
END
$function$;--> statement-breakpoint
REVOKE EXECUTE ON FUNCTION public.notify_api_key_ended() FROM PUBLIC;--> statement-breakpoint

CREATE TRIGGER api_key_ended
AFTER DELETE OR UPDATE OF revoked, "expiresAt" ON public.api_keys
FOR EACH ROW EXECUTE FUNCTION public.notify_api_key_ended();--> statement-breakpoint

-- A banned owner, or one whose account is to be deleted, keeps their keys' rows but none of
-- their use: the channels joined with them close as a revoked key's do.
CREATE OR REPLACE FUNCTION public.notify_owner_api_keys_ended()
 RETURNS trigger
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO ''
AS $function$
DECLARE
  v_key uuid;
BEGIN
  FOR v_key IN
    SELECT k.id FROM public.api_keys k
    WHERE k."userId" = (pg_catalog.to_jsonb(NEW)
                        OPERATOR(pg_catalog.->>) (CASE WHEN TG_TABLE_NAME = 'user' THEN 'id' ELSE 'userId' END))::uuid
      AND 'realtime:connect' = ANY (k.scopes) AND NOT k.revoked
  LOOP
    PERFORM pg_catalog.pg_notify('parley_api_keys_ended', v_key::text);
  END LOOP;
  RETURN NULL;
END
$function$;--> statement-breakpoint
REVOKE EXECUTE ON FUNCTION public.notify_owner_api_keys_ended() FROM PUBLIC;--> statement-breakpoint

CREATE TRIGGER user_banned_api_keys_ended
AFTER UPDATE OF banned ON public."user"
FOR EACH ROW WHEN (NEW.banned AND NOT OLD.banned)
EXECUTE FUNCTION public.notify_owner_api_keys_ended();--> statement-breakpoint

CREATE TRIGGER account_deletion_api_keys_ended
AFTER INSERT ON public.account_deletions
FOR EACH ROW EXECUTE FUNCTION public.notify_owner_api_keys_ended();
--> statement-breakpoint

-- A group created with an Idempotency-Key (REST v1) gets an id the database derives from its
-- creator and the key, so a retry finds the group it created and no one can aim a creation at
-- an id of their choosing, or at someone else's key.
CREATE FUNCTION public.keyed_group_chat_id(p_client_key text)
 RETURNS uuid
 LANGUAGE plpgsql
 STABLE
 SET search_path TO ''
AS $function$
DECLARE
  me uuid := public.get_auth_user_id();
  key_hash bytea;
BEGIN
  IF me IS NULL OR p_client_key IS NULL THEN
    RETURN NULL;
  END IF;
  key_hash := pg_catalog.sha256(pg_catalog.convert_to(
    'parley:chat:' || me::text || ':' || p_client_key, 'UTF8'));
  key_hash := pg_catalog.set_byte(key_hash, 6, (pg_catalog.get_byte(key_hash, 6) & 15) | 80);
  key_hash := pg_catalog.set_byte(key_hash, 8, (pg_catalog.get_byte(key_hash, 8) & 63) | 128);
  RETURN CAST(pg_catalog.encode(pg_catalog.substr(key_hash, 1, 16), 'hex') AS uuid);
END
$function$;--> statement-breakpoint
REVOKE EXECUTE ON FUNCTION public.keyed_group_chat_id(text) FROM PUBLIC;--> statement-breakpoint
GRANT EXECUTE ON FUNCTION public.keyed_group_chat_id(text) TO authenticated;--> statement-breakpoint

DROP FUNCTION public.create_group_chat(text, text, uuid[]);--> statement-breakpoint
CREATE FUNCTION public.create_group_chat(
  p_name text, p_description text, p_member_ids uuid[], p_client_key text DEFAULT NULL
)
 RETURNS uuid
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO ''
AS $function$
DECLARE
  me uuid := public.get_auth_user_id();
  tenant uuid := public.get_current_tenant_id();
  members uuid[];
  found_count int;
  new_id uuid;
  existing record;
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

  IF p_client_key IS NOT NULL THEN
    IF char_length(p_client_key) NOT BETWEEN 1 AND 255 THEN
      RAISE EXCEPTION 'An idempotency key is 1 to 255 characters' USING ERRCODE = '22023';
    END IF;
    new_id := public.keyed_group_chat_id(p_client_key);
    SELECT c.name, c.description INTO existing FROM public.chats c WHERE c.id = new_id;
    IF FOUND THEN
      -- A retry creates the same group; the same key for another group is a mistake.
      IF existing.name IS DISTINCT FROM btrim(p_name)
         OR existing.description IS DISTINCT FROM nullif(btrim(p_description), '') THEN
        RAISE EXCEPTION 'This key was already used for another group' USING ERRCODE = '23505';
      END IF;
      RETURN new_id;
    END IF;
  END IF;

  INSERT INTO public.chats (id, type, name, description, "createdBy")
  VALUES (coalesce(new_id, pg_catalog.gen_random_uuid()), 'group', btrim(p_name),
          nullif(btrim(p_description), ''), me)
  RETURNING public.chats.id INTO new_id;
  INSERT INTO public.chat_members ("chatId", "userId", role) VALUES (new_id, me, 'owner');
  INSERT INTO public.chat_members ("chatId", "userId", role)
  SELECT new_id, id, 'member' FROM unnest(members) AS id;
  PERFORM public.post_system_message(
    new_id, jsonb_build_object('kind', 'chat_created', 'actorId', me, 'name', btrim(p_name))
  );
  RETURN new_id;
END
$function$;--> statement-breakpoint
REVOKE EXECUTE ON FUNCTION public.create_group_chat(p_name text, p_description text, p_member_ids uuid[], p_client_key text) FROM PUBLIC;--> statement-breakpoint
GRANT EXECUTE ON FUNCTION public.create_group_chat(p_name text, p_description text, p_member_ids uuid[], p_client_key text) TO authenticated;
