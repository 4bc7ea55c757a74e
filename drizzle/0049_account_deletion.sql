-- "Delete my account": a person (or a site admin for them) asks for their account to be
-- erased; after a grace period, during which signing in cancels it, a worker erases it. Their
-- sign-in methods, keys, settings, files and every copy of their name and address go; the
-- user row stays as a "Deleted user" tombstone, so the chats they were in keep their shape and
-- nothing of theirs is hard-deleted out from under a chat. Their messages are kept
-- (anonymised: the sender is the tombstone) or blanked (soft-deleted), as they chose.
ALTER TABLE public."user" ADD COLUMN "deletedAt" timestamptz;
--> statement-breakpoint
GRANT SELECT ("deletedAt") ON public."user" TO authenticated;
--> statement-breakpoint
CREATE TABLE public.account_deletions (
  "userId" uuid PRIMARY KEY REFERENCES public."user"(id) ON DELETE CASCADE,
  -- The person themself, or the site admin who started it.
  "requestedBy" uuid REFERENCES public."user"(id) ON DELETE SET NULL,
  messages text NOT NULL,
  "requestedAt" timestamptz NOT NULL DEFAULT now(),
  -- When the worker may erase; pushed back after a failed attempt.
  "eraseAfter" timestamptz NOT NULL,
  attempts integer NOT NULL DEFAULT 0,
  error text,
  CONSTRAINT account_deletions_messages CHECK (messages IN ('keep', 'blank')),
  CONSTRAINT account_deletions_attempts CHECK (attempts >= 0),
  CONSTRAINT account_deletions_error CHECK (char_length(error) <= 2000)
);
--> statement-breakpoint
CREATE INDEX idx_account_deletions_erase_after ON public.account_deletions ("eraseAfter");
--> statement-breakpoint
ALTER TABLE public.account_deletions ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE public.account_deletions FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY account_deletions_select_own ON public.account_deletions FOR SELECT TO authenticated
  USING ("userId" = (SELECT public.get_auth_user_id()));
--> statement-breakpoint
CREATE POLICY account_deletions_select_admin ON public.account_deletions FOR SELECT TO authenticated
  USING ((SELECT public.is_admin()));
--> statement-breakpoint
-- Not the worker's bookkeeping (attempts, the server's error text).
GRANT SELECT ("userId", "requestedBy", messages, "requestedAt", "eraseAfter")
  ON public.account_deletions TO authenticated;
--> statement-breakpoint
-- The one place a deletion is scheduled: whoever asks, the person is signed out everywhere at
-- once (signing in again is how they cancel), and the site is never left without an admin.
CREATE OR REPLACE FUNCTION public.schedule_account_deletion(
  p_user uuid, p_requested_by uuid, p_messages text, p_grace_days integer
)
RETURNS timestamptz
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
  target record;
  erase_after timestamptz := now() + make_interval(days => least(greatest(coalesce(p_grace_days, 30), 0), 365));
BEGIN
  IF p_messages IS NULL OR p_messages NOT IN ('keep', 'blank') THEN
    RAISE EXCEPTION 'Choose whether your messages are kept without your name or blanked'
      USING ERRCODE = '22023';
  END IF;
  SELECT u.id, u.role, u."deletedAt" INTO target FROM public."user" u WHERE u.id = p_user FOR UPDATE;
  IF NOT FOUND OR target."deletedAt" IS NOT NULL THEN
    RETURN NULL;
  END IF;
  IF 'admin' = ANY (string_to_array(target.role, ','))
     AND NOT EXISTS (
       SELECT 1 FROM public."user" u
       WHERE u.id <> p_user AND u."deletedAt" IS NULL AND u.banned = false
         AND 'admin' = ANY (string_to_array(u.role, ','))
         AND NOT EXISTS (SELECT 1 FROM public.account_deletions d WHERE d."userId" = u.id)
     ) THEN
    RAISE EXCEPTION 'This is the only admin account; make someone else an admin first'
      USING ERRCODE = '55000';
  END IF;
  INSERT INTO public.account_deletions ("userId", "requestedBy", messages, "eraseAfter")
    VALUES (p_user, p_requested_by, p_messages, erase_after)
    ON CONFLICT ("userId") DO UPDATE
      SET "requestedBy" = excluded."requestedBy", messages = excluded.messages,
          "requestedAt" = now(), "eraseAfter" = excluded."eraseAfter", attempts = 0, error = NULL;
  DELETE FROM public.session WHERE "userId" = p_user;
  RETURN erase_after;
END
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION public.schedule_account_deletion(uuid, uuid, text, integer) FROM PUBLIC;
--> statement-breakpoint
-- The person's own request (their password is checked before, by the server).
CREATE OR REPLACE FUNCTION public.request_account_deletion(p_messages text, p_grace_days integer)
RETURNS timestamptz
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
  me uuid := public.get_auth_user_id();
BEGIN
  IF me IS NULL THEN
    RAISE EXCEPTION 'Sign in to delete your account' USING ERRCODE = '42501';
  END IF;
  RETURN public.schedule_account_deletion(me, me, p_messages, p_grace_days);
END
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION public.request_account_deletion(text, integer) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION public.request_account_deletion(text, integer) TO authenticated;
--> statement-breakpoint
-- A site admin starting the same deletion for someone else; NULL for an unknown or already
-- erased account.
CREATE OR REPLACE FUNCTION public.admin_request_account_deletion(
  target uuid, p_messages text, p_grace_days integer
)
RETURNS timestamptz
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = ''
AS $$
BEGIN
  IF NOT public.is_admin() THEN
    RAISE EXCEPTION 'only a site admin may delete an account' USING ERRCODE = '42501';
  END IF;
  IF target = public.get_auth_user_id() THEN
    RAISE EXCEPTION 'delete your own account from your settings' USING ERRCODE = '42501';
  END IF;
  RETURN public.schedule_account_deletion(target, public.get_auth_user_id(), p_messages, p_grace_days);
END
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION public.admin_request_account_deletion(uuid, text, integer) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION public.admin_request_account_deletion(uuid, text, integer) TO authenticated;
--> statement-breakpoint
-- A site admin calling a pending deletion off; false when none was pending.
CREATE OR REPLACE FUNCTION public.admin_cancel_account_deletion(target uuid)
RETURNS boolean
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = ''
AS $$
BEGIN
  IF NOT public.is_admin() THEN
    RAISE EXCEPTION 'only a site admin may cancel an account deletion' USING ERRCODE = '42501';
  END IF;
  DELETE FROM public.account_deletions WHERE "userId" = target;
  RETURN FOUND;
END
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION public.admin_cancel_account_deletion(uuid) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION public.admin_cancel_account_deletion(uuid) TO authenticated;
--> statement-breakpoint
-- An erased account never signs in again, even when a sign-in raced its erasure: the shared
-- lock waits for an erasure in progress and then reads what it wrote.
CREATE OR REPLACE FUNCTION public.session_refuses_erased_user()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = ''
AS $$
BEGIN
  PERFORM 1 FROM public."user" u WHERE u.id = NEW."userId" AND u."deletedAt" IS NULL FOR SHARE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'This account has been deleted' USING ERRCODE = '42501';
  END IF;
  RETURN NEW;
END
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION public.session_refuses_erased_user() FROM PUBLIC;
--> statement-breakpoint
CREATE TRIGGER session_refuses_erased_user BEFORE INSERT ON public.session
  FOR EACH ROW EXECUTE FUNCTION public.session_refuses_erased_user();
--> statement-breakpoint
-- A key stops working while its owner's deletion is pending, and works again if it is
-- cancelled: it answers as an unknown key.
CREATE OR REPLACE FUNCTION public.find_api_key(p_prefix text, p_hash text)
RETURNS TABLE(id uuid, "userId" uuid, "organizationId" uuid, scopes text[], "rateLimit" integer, revoked boolean, "expiresAt" timestamp with time zone, "ownerBanned" boolean)
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
    WHERE k.prefix = p_prefix AND k.key = p_hash
      AND NOT EXISTS (SELECT 1 FROM public.account_deletions d WHERE d."userId" = k."userId");
END
$$;
--> statement-breakpoint
-- `body` with the erased person's address and name (when it is long enough to mean them,
-- not a letter of every word) replaced by the tombstone's.
CREATE OR REPLACE FUNCTION public.erased_text(body text, p_name text, p_email text, p_tomb_email text)
RETURNS text
LANGUAGE sql
IMMUTABLE
SET search_path = ''
AS $$
  SELECT CASE WHEN char_length(btrim(p_name)) >= 3
    THEN replace(replace(replace(body, p_email, p_tomb_email), lower(p_email), p_tomb_email), btrim(p_name), 'Deleted user')
    ELSE replace(replace(body, p_email, p_tomb_email), lower(p_email), p_tomb_email)
  END
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION public.erased_text(text, text, text, text) FROM PUBLIC;
--> statement-breakpoint
-- The same for every string inside a JSON document; keys and structure stay as they were.
CREATE OR REPLACE FUNCTION public.erased_jsonb(doc jsonb, p_name text, p_email text, p_tomb_email text)
RETURNS jsonb
LANGUAGE plpgsql
IMMUTABLE
SET search_path = ''
AS $$
DECLARE
  result jsonb;
BEGIN
  CASE pg_catalog.jsonb_typeof(doc)
    WHEN 'string' THEN
      RETURN pg_catalog.to_jsonb(public.erased_text(doc #>> '{}', p_name, p_email, p_tomb_email));
    WHEN 'object' THEN
      SELECT coalesce(pg_catalog.jsonb_object_agg(e.key, public.erased_jsonb(e.value, p_name, p_email, p_tomb_email)), '{}'::jsonb)
        INTO result FROM pg_catalog.jsonb_each(doc) AS e;
      RETURN result;
    WHEN 'array' THEN
      SELECT coalesce(pg_catalog.jsonb_agg(public.erased_jsonb(e.value, p_name, p_email, p_tomb_email) ORDER BY e.n), '[]'::jsonb)
        INTO result FROM pg_catalog.jsonb_array_elements(doc) WITH ORDINALITY AS e(value, n);
      RETURN result;
    ELSE
      RETURN doc;
  END CASE;
END
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION public.erased_jsonb(jsonb, text, text, text) FROM PUBLIC;
--> statement-breakpoint
-- An erasure that blanks a person's messages deletes their history in the same transaction:
-- recording each blanked text first would only be deleted again. Only the owner connection's
-- erasure of that very sender skips it; request roles always record (the function runs as its
-- owner, so the role a request set is read from the setting, not from current_user).
CREATE OR REPLACE FUNCTION public.messages_record_history()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = ''
AS $$
BEGIN
  IF NEW.content IS DISTINCT FROM OLD.content THEN
    IF coalesce(current_setting('role', true), 'none') NOT IN ('anon', 'authenticated')
       AND current_setting('parley.erasing', true) = NEW."senderId"::text THEN
      RETURN NULL;
    END IF;
    IF NEW."deletedAt" IS NULL AND (
      SELECT count(*) FROM public.message_edits e WHERE e."messageId" = NEW.id
    ) >= 100 THEN
      RAISE EXCEPTION 'A message can be edited at most 100 times' USING ERRCODE = '54000';
    END IF;
    INSERT INTO public.message_edits ("messageId", "chatId", "previousContent", "editedAt", "editedBy")
    VALUES (NEW.id, NEW."chatId", OLD.content, now(), coalesce(NEW."deletedBy", public.get_auth_user_id()));
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
-- The erasure itself, on the owner connection only, in one transaction: all of it or none.
-- Returns NULL when no deletion of `p_user` is due (cancelled meanwhile, or not yet time).
CREATE OR REPLACE FUNCTION public.erase_account(p_user uuid)
RETURNS jsonb
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
  pending record;
  person record;
  tomb_email text := 'deleted-' || p_user::text || '@deleted.invalid';
  blanked integer := 0;
  files integer := 0;
  owned record;
  heir uuid;
BEGIN
  SELECT d.* INTO pending FROM public.account_deletions d
    WHERE d."userId" = p_user AND d."eraseAfter" <= now() FOR UPDATE;
  IF NOT FOUND THEN
    RETURN NULL;
  END IF;
  SELECT u.id, u.name, u.email, u.image INTO person FROM public."user" u WHERE u.id = p_user;

  -- The tombstone first, so whatever the steps below record (ownership passing on) names
  -- "Deleted user"; a sign-in racing this waits for it (session_refuses_erased_user).
  UPDATE public."user"
    SET name = 'Deleted user', email = tomb_email, "emailVerified" = false, image = NULL,
        role = 'user', banned = false, "banReason" = NULL, "banExpires" = NULL,
        "twoFactorEnabled" = false, "deletedAt" = now()
    WHERE id = p_user;

  -- Ways to sign in, and everything that acts as them.
  DELETE FROM public.session WHERE "userId" = p_user;
  DELETE FROM public.account WHERE "userId" = p_user;
  DELETE FROM public.passkey WHERE "userId" = p_user;
  DELETE FROM public.two_factor WHERE "userId" = p_user;
  DELETE FROM public.verification
    WHERE strpos(value, p_user::text) > 0
       OR strpos(lower(identifier), lower(person.email)) > 0
       OR strpos(lower(value), lower(person.email)) > 0;
  DELETE FROM public.api_keys WHERE "userId" = p_user;

  -- What they kept about themselves.
  DELETE FROM public.user_metas WHERE "userId" = p_user;
  DELETE FROM public.user_statuses WHERE "userId" = p_user;
  DELETE FROM public.user_presence WHERE "userId" = p_user;
  DELETE FROM public.user_last_seen WHERE "userId" = p_user;
  DELETE FROM public.push_subscriptions WHERE "userId" = p_user;
  DELETE FROM public.digest_items WHERE "userId" = p_user;
  DELETE FROM public.digest_state WHERE "userId" = p_user;
  DELETE FROM public.saved_messages WHERE "userId" = p_user;
  DELETE FROM public.thread_members WHERE "userId" = p_user;
  DELETE FROM public.message_mentions WHERE "userId" = p_user;
  DELETE FROM public.deleted_chat_members WHERE "userId" = p_user;
  -- Archives leave storage through data_exports_queue_files.
  DELETE FROM public.data_exports WHERE "userId" = p_user;
  DELETE FROM public.invitation WHERE lower(email) = lower(person.email) OR "inviterId" = p_user;
  DELETE FROM public.dev_mailbox WHERE lower("to") = lower(person.email);

  -- Their files, sent or not (message_attachments_queue_files queues each for storage), and
  -- their avatar.
  WITH gone AS (DELETE FROM public.message_attachments WHERE "uploaderId" = p_user RETURNING 1)
    SELECT count(*) INTO files FROM gone;
  IF person.image ~ ('^/api/avatars/' || p_user::text || '/[0-9a-f]{16,64}\.webp$') THEN
    INSERT INTO public.storage_deletions (bucket, path)
      VALUES ('message-attachments', 'avatars/' || p_user::text || '/'
        || substring(person.image from '([0-9a-f]{16,64})\.webp$') || '.webp');
  END IF;

  -- Their messages: blanked if they chose so (a soft delete, as if they had deleted each
  -- one, with its earlier versions and their reactions gone too); kept otherwise.
  IF pending.messages = 'blank' THEN
    PERFORM set_config('parley.erasing', p_user::text, true);
    WITH gone AS (
      UPDATE public.messages SET content = '', "deletedAt" = now(), "deletedBy" = p_user,
          metadata = NULL
        WHERE "senderId" = p_user AND "deletedAt" IS NULL AND type <> 'system'
        RETURNING 1)
      SELECT count(*) INTO blanked FROM gone;
    PERFORM set_config('parley.erasing', '', true);
    DELETE FROM public.message_edits e
      USING public.messages m WHERE e."messageId" = m.id AND m."senderId" = p_user;
    DELETE FROM public.message_reactions WHERE "userId" = p_user;
  END IF;

  -- Groups they own pass to their longest-standing admin, else member.
  FOR owned IN
    SELECT cm."chatId" AS id FROM public.chat_members cm
    WHERE cm."userId" = p_user AND cm.role = 'owner'
  LOOP
    SELECT o."userId" INTO heir FROM public.chat_members o
      WHERE o."chatId" = owned.id AND o."userId" <> p_user
      ORDER BY (o.role = 'admin') DESC, o."joinedAt", o."userId" LIMIT 1;
    IF heir IS NOT NULL THEN
      UPDATE public.chat_members SET role = 'owner' WHERE "chatId" = owned.id AND "userId" = heir;
      UPDATE public.chat_members SET role = 'member' WHERE "chatId" = owned.id AND "userId" = p_user;
    END IF;
  END LOOP;

  -- Workspaces: they leave each; one they were the only owner of passes on the same way; one
  -- named after them is renamed.
  FOR owned IN
    SELECT m."organizationId" AS id, m.role FROM public.member m WHERE m."userId" = p_user
  LOOP
    IF owned.role = 'owner' AND NOT EXISTS (
      SELECT 1 FROM public.member o
      WHERE o."organizationId" = owned.id AND o."userId" <> p_user AND o.role = 'owner'
    ) THEN
      SELECT o.id INTO heir FROM public.member o
        WHERE o."organizationId" = owned.id AND o."userId" <> p_user
        ORDER BY (o.role = 'admin') DESC, o."createdAt", o.id LIMIT 1;
      IF heir IS NOT NULL THEN
        UPDATE public.member SET role = 'owner' WHERE id = heir;
      END IF;
    END IF;
    IF char_length(btrim(person.name)) >= 3 THEN
      UPDATE public.organization o
        SET name = left(replace(o.name, btrim(person.name), 'Deleted user'), 80),
            slug = public.workspace_slug(replace(o.name, btrim(person.name), 'Deleted user'), o.id)
        WHERE o.id = owned.id AND strpos(o.name, btrim(person.name)) > 0;
    END IF;
  END LOOP;
  DELETE FROM public.member WHERE "userId" = p_user;

  -- Events about them ("… joined") carry the name they had then.
  UPDATE public.messages SET metadata = jsonb_set(metadata, '{userName}', '"Deleted user"')
    WHERE type = 'system' AND metadata ? 'userName' AND metadata->>'userId' = p_user::text;

  -- The audit trail stays (who did what, by id) without their addresses, browsers, name or
  -- email; so do jobs set aside.
  UPDATE public.api_audit_logs SET "ipAddress" = NULL, "userAgent" = NULL
    WHERE ("userId" = p_user OR "actorId" = p_user)
      AND ("ipAddress" IS NOT NULL OR "userAgent" IS NOT NULL);
  -- Their name is replaced only where a row is about them: a short name is part of other
  -- people's words too. Their address is theirs alone, wherever it stands.
  UPDATE public.api_audit_logs
    SET details = public.erased_jsonb(details, person.name, person.email, tomb_email)
    WHERE ("userId" = p_user OR "actorId" = p_user OR strpos(details::text, p_user::text) > 0)
      AND (strpos(lower(details::text), lower(person.email)) > 0
           OR strpos(details::text, btrim(person.name)) > 0);
  UPDATE public.api_audit_logs
    SET details = public.erased_jsonb(details, '', person.email, tomb_email)
    WHERE strpos(lower(details::text), lower(person.email)) > 0;
  UPDATE public.dead_letters
    SET payload = public.erased_jsonb(payload, person.name, person.email, tomb_email),
        error = left(public.erased_text(error, person.name, person.email, tomb_email), 2000)
    WHERE strpos(payload::text, p_user::text) > 0
       OR strpos(lower(payload::text), lower(person.email)) > 0
       OR strpos(lower(error), lower(person.email)) > 0;

  DELETE FROM public.account_deletions WHERE "userId" = p_user;
  RETURN jsonb_build_object('messages', pending.messages, 'blanked', blanked, 'files', files,
    'requestedBy', pending."requestedBy");
END
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION public.erase_account(uuid) FROM PUBLIC;
--> statement-breakpoint
ALTER TABLE public.dead_letters DROP CONSTRAINT dead_letters_queue_check;
--> statement-breakpoint
ALTER TABLE public.dead_letters ADD CONSTRAINT dead_letters_queue_check
  CHECK (queue IN ('audit', 'storage_deletions', 'notifications', 'push', 'data_exports', 'account_deletions'));
