-- Helpers called once per statement on the hot paths. A SQL function that cannot be inlined
-- (SECURITY DEFINER, or a search_path of its own) is parsed and planned again in every
-- statement that calls it; PL/pgSQL keeps its statements' plans for the session, and an
-- inlinable SQL function becomes part of its caller's plan. The rules are unchanged.
--
-- Whether the statement runs for a request (anon, authenticated) rather than the owner: asked
-- by the triggers of every send and every read-pointer move. Inlinable, as get_auth_user_id()
-- is (0014): no SECURITY DEFINER, no SET; current_user is a keyword and every other name is
-- schema-qualified, so the caller's search_path cannot redirect it.
CREATE OR REPLACE FUNCTION public.is_request_role()
RETURNS boolean
LANGUAGE sql
STABLE
AS $$
  SELECT CAST(current_user AS pg_catalog.text)
    OPERATOR(pg_catalog.=) ANY (CAST(ARRAY['anon', 'authenticated'] AS pg_catalog.text[]))
$$;
--> statement-breakpoint
-- hidden_read_pointers() runs in every page of messages and called two such functions
-- (is_chat_member, shares_read_receipts): 0.11 ms a call, against 0.02 ms with their checks
-- written into its own statements.
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
    SELECT 1 FROM public.chat_members m WHERE m."chatId" = p_chat_id AND m."userId" = me
  ) THEN
    RETURN;
  END IF;
  -- Two-way: another member's pointer is hidden when either of the two turned read receipts
  -- off. One's own pointer is always visible.
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
-- Whether a read pointer may go out on the chat's broadcast topic (every member shares read
-- receipts); false outside one's own chats. Asked on every read or delivered move.
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
      SELECT 1 FROM public.chat_members m WHERE m."chatId" = p_chat_id AND m."userId" = me
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
-- The key a REST v1 request presents, by its public prefix: once per request.
CREATE OR REPLACE FUNCTION public.find_api_key(p_prefix text)
RETURNS TABLE (
  id uuid,
  "userId" uuid,
  key text,
  scopes text[],
  "rateLimit" integer,
  revoked boolean,
  "expiresAt" timestamptz,
  "ownerBanned" boolean
)
LANGUAGE plpgsql
STABLE
SECURITY DEFINER
SET search_path = ''
AS $$
#variable_conflict use_column
BEGIN
  RETURN QUERY
    SELECT k.id, k."userId", k.key, k.scopes, k."rateLimit", k.revoked, k."expiresAt",
      (u.banned AND (u."banExpires" IS NULL OR u."banExpires" > now())) AS "ownerBanned"
    FROM public.api_keys k
    JOIN public."user" u ON u.id = k."userId"
    WHERE k.prefix = p_prefix;
END
$$;
--> statement-breakpoint
-- Whether the caller may join a realtime topic: asked on every channel join and re-check. The
-- caller's activity and membership are its own statements instead of calls to
-- realtime_is_active_user() and is_chat_member(): 0.12 ms a call, against 0.03 ms.
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
    );
  END IF;
  IF topic ~ ('^user:' || uuid_pattern || '$') THEN
    RETURN substr(topic, 6)::uuid = me;
  END IF;
  RETURN false;
END
$$;
--> statement-breakpoint
-- What a client may send itself (typing, presence): asked once per channel and extension.
CREATE OR REPLACE FUNCTION public.realtime_can_send(topic text, extension text)
RETURNS boolean
LANGUAGE plpgsql
STABLE
SECURITY DEFINER
SET search_path = ''
AS $$
BEGIN
  IF (extension = 'presence' AND topic = 'presence:online')
     OR (extension IN ('broadcast', 'presence') AND topic LIKE 'chat:%') THEN
    RETURN public.realtime_can_join(topic);
  END IF;
  RETURN false;
END
$$;
--> statement-breakpoint
-- Their checks now live in the functions above, and nothing else calls them.
DROP FUNCTION IF EXISTS public.shares_read_receipts(uuid);
--> statement-breakpoint
DROP FUNCTION IF EXISTS public.realtime_is_active_user();
