-- Values the database refuses, whoever writes them: the app refuses them already, and with
-- these the app is not the only guard. New rows and updates are checked at once; rows from
-- before are checked too where they all pass (VALIDATE below), and left as they are otherwise.

-- An attachment's file lives where Parley put it: `chats/<chat>/<uploader>/<stamp>_<random>.<ext>`
-- (server/storage/paths.ts), and its thumbnail is its own (`<same>_thumb.webp`). A row can
-- therefore never name another chat's or another person's file, which the download route
-- would serve and the cleanup job would delete.
ALTER TABLE public.message_attachments DROP CONSTRAINT IF EXISTS message_attachments_storage_path_own;
--> statement-breakpoint
ALTER TABLE public.message_attachments ADD CONSTRAINT message_attachments_storage_path_own CHECK (
  "storagePath" ~ ('^chats/' || "chatId"::text || '/' || "uploaderId"::text
                   || '/[0-9]{8}_[0-9]{6}_[0-9a-f]{16}\.[a-z0-9]{1,10}$')
) NOT VALID;
--> statement-breakpoint
ALTER TABLE public.message_attachments DROP CONSTRAINT IF EXISTS message_attachments_thumbnail_own;
--> statement-breakpoint
ALTER TABLE public.message_attachments ADD CONSTRAINT message_attachments_thumbnail_own CHECK (
  "thumbnailPath" IS NULL
  OR "thumbnailPath" = regexp_replace("storagePath", '\.[a-z0-9]{1,10}$', '') || '_thumb.webp'
) NOT VALID;
--> statement-breakpoint
DROP INDEX IF EXISTS public.idx_message_attachments_thumbnail_path;
--> statement-breakpoint
CREATE UNIQUE INDEX IF NOT EXISTS idx_message_attachments_thumbnail_path
  ON public.message_attachments ("thumbnailPath");
--> statement-breakpoint
-- API keys: scopes are Parley's (contracts/api-keys.ts); a request role can revoke a key, never
-- un-revoke it, and can bring its expiry closer, never push it back or remove it.
ALTER TABLE public.api_keys DROP CONSTRAINT IF EXISTS api_keys_scopes_known;
--> statement-breakpoint
ALTER TABLE public.api_keys ADD CONSTRAINT api_keys_scopes_known CHECK (
  scopes <@ ARRAY['profile:read', 'metas:read', 'metas:write', 'chats:read', 'messages:read',
                  'messages:write', 'audit:read']::text[]
) NOT VALID;
--> statement-breakpoint
ALTER TABLE public.api_keys DROP CONSTRAINT IF EXISTS api_keys_name_length;
--> statement-breakpoint
ALTER TABLE public.api_keys ADD CONSTRAINT api_keys_name_length CHECK (
  char_length(name) BETWEEN 1 AND 100
) NOT VALID;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION public.api_keys_guard_update()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = ''
AS $$
BEGIN
  IF NOT public.is_request_role() THEN
    RETURN NEW;
  END IF;
  IF OLD.revoked AND NOT NEW.revoked THEN
    RAISE EXCEPTION 'A revoked key stays revoked' USING ERRCODE = '42501';
  END IF;
  IF NEW.revoked AND NOT OLD.revoked THEN
    NEW."revokedAt" := now();
  ELSE
    NEW."revokedAt" := OLD."revokedAt";
  END IF;
  IF NEW."expiresAt" IS DISTINCT FROM OLD."expiresAt"
     AND (NEW."expiresAt" IS NULL
          OR (OLD."expiresAt" IS NOT NULL AND NEW."expiresAt" > OLD."expiresAt")) THEN
    RAISE EXCEPTION 'A key''s expiry can be brought closer, not pushed back' USING ERRCODE = '42501';
  END IF;
  RETURN NEW;
END
$$;
--> statement-breakpoint
CREATE OR REPLACE TRIGGER api_keys_guard_update BEFORE UPDATE ON public.api_keys
  FOR EACH ROW EXECUTE FUNCTION public.api_keys_guard_update();
--> statement-breakpoint
-- People: a name of 1 to 100 characters, and a picture that is an http(s) URL or their own
-- uploaded avatar (contracts/me.ts) — never someone else's.
ALTER TABLE public."user" DROP CONSTRAINT IF EXISTS user_name_length;
--> statement-breakpoint
ALTER TABLE public."user" ADD CONSTRAINT user_name_length CHECK (
  char_length(name) BETWEEN 1 AND 100 AND btrim(name) <> ''
) NOT VALID;
--> statement-breakpoint
ALTER TABLE public."user" DROP CONSTRAINT IF EXISTS user_image_own;
--> statement-breakpoint
ALTER TABLE public."user" ADD CONSTRAINT user_image_own CHECK (
  image IS NULL
  OR (image ~ '^https?://[^[:space:]]+$' AND char_length(image) <= 2048)
  OR image ~ ('^/api/avatars/' || id::text || '/[0-9a-f]{16,64}\.webp$')
) NOT VALID;
--> statement-breakpoint
-- Messages: a system message (member added, chat renamed, …) is the chat's record of what
-- happened; no one deletes it.
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
    IF OLD.type = 'system' THEN
      RAISE EXCEPTION 'A system message cannot be deleted' USING ERRCODE = '42501';
    END IF;
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
-- Rows from before these rules: validated where every row passes; otherwise the rule still
-- holds for every new row and change.
DO $$
DECLARE
  c record;
BEGIN
  FOR c IN
    SELECT conrelid::regclass AS tbl, conname FROM pg_catalog.pg_constraint
    WHERE conname IN ('message_attachments_storage_path_own', 'message_attachments_thumbnail_own',
                      'api_keys_scopes_known', 'api_keys_name_length', 'user_name_length',
                      'user_image_own')
      AND NOT convalidated
  LOOP
    BEGIN
      EXECUTE format('ALTER TABLE %s VALIDATE CONSTRAINT %I', c.tbl, c.conname);
    EXCEPTION WHEN check_violation THEN
      RAISE NOTICE 'left unvalidated: % on % (older rows break it)', c.conname, c.tbl;
    END;
  END LOOP;
END
$$;
--> statement-breakpoint
-- The lookup of a presented API key answers only for the right secret, and never with the
-- stored hash: a prefix alone (it is printed in every key) tells nothing about its key.
DROP FUNCTION IF EXISTS public.find_api_key(text);
--> statement-breakpoint
CREATE OR REPLACE FUNCTION public.find_api_key(p_prefix text, p_hash text)
RETURNS TABLE(id uuid, "userId" uuid, scopes text[], "rateLimit" integer, revoked boolean,
              "expiresAt" timestamptz, "ownerBanned" boolean)
LANGUAGE plpgsql
STABLE SECURITY DEFINER
SET search_path = ''
AS $$
#variable_conflict use_column
BEGIN
  RETURN QUERY
    SELECT k.id, k."userId", k.scopes, k."rateLimit", k.revoked, k."expiresAt",
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
