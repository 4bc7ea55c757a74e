-- Realtime: who may join which topic, change capture for postgres_changes, the cross-instance
-- relay table, and (on Supabase only) the realtime.messages policies.
--
-- Topics are private and come in three kinds:
--   chat:<chatId>    members of that chat
--   user:<userId>    that user only
--   presence:online  any signed-in user
-- Parley's gateway and hosted Supabase Realtime both ask the two functions below, so they
-- enforce the same rules.

-- The caller is a user who exists and is not banned (a token outlives neither).
CREATE OR REPLACE FUNCTION public.realtime_is_active_user()
RETURNS boolean
LANGUAGE sql
STABLE
SECURITY DEFINER
SET search_path = ''
AS $$
  SELECT EXISTS (
    SELECT 1 FROM public."user" u
    WHERE u.id = public.get_auth_user_id()
      AND (u.banned IS NOT TRUE OR (u."banExpires" IS NOT NULL AND u."banExpires" <= now()))
  )
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION public.realtime_can_join(topic text)
RETURNS boolean
LANGUAGE plpgsql
STABLE
SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
  uuid_pattern constant text := '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
BEGIN
  IF topic IS NULL OR NOT public.realtime_is_active_user() THEN
    RETURN false;
  END IF;
  IF topic = 'presence:online' THEN
    RETURN true;
  END IF;
  IF topic ~ ('^chat:' || uuid_pattern || '$') THEN
    RETURN public.is_chat_member(substr(topic, 6)::uuid);
  END IF;
  IF topic ~ ('^user:' || uuid_pattern || '$') THEN
    RETURN substr(topic, 6)::uuid = public.get_auth_user_id();
  END IF;
  RETURN false;
END
$$;
--> statement-breakpoint
-- What a client may send itself: typing broadcasts and presence in its chats, presence on
-- presence:online. Everything else on these topics comes from the server.
CREATE OR REPLACE FUNCTION public.realtime_can_send(topic text, extension text)
RETURNS boolean
LANGUAGE sql
STABLE
SECURITY DEFINER
SET search_path = ''
AS $$
  SELECT CASE
    WHEN extension = 'presence' AND topic = 'presence:online' THEN public.realtime_can_join(topic)
    WHEN extension IN ('broadcast', 'presence') AND topic LIKE 'chat:%' THEN public.realtime_can_join(topic)
    ELSE false
  END
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION public.realtime_is_active_user(), public.realtime_can_join(text),
  public.realtime_can_send(text, text) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION public.realtime_is_active_user(), public.realtime_can_join(text),
  public.realtime_can_send(text, text) TO anon, authenticated;
--> statement-breakpoint

-- Hosted Supabase authorizes private channels with policies on realtime.messages. The schema
-- only exists there; this function is run by the migration below when it does.
CREATE OR REPLACE FUNCTION public.install_realtime_policies()
RETURNS void
LANGUAGE plpgsql
SET search_path = ''
AS $$
BEGIN
  DROP POLICY IF EXISTS parley_realtime_read ON realtime.messages;
  DROP POLICY IF EXISTS parley_realtime_write ON realtime.messages;
  CREATE POLICY parley_realtime_read ON realtime.messages FOR SELECT TO authenticated
    USING ((SELECT public.realtime_can_join((SELECT realtime.topic()))));
  CREATE POLICY parley_realtime_write ON realtime.messages FOR INSERT TO authenticated
    WITH CHECK ((SELECT public.realtime_can_send((SELECT realtime.topic()), extension)));
END
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION public.install_realtime_policies() FROM PUBLIC;
--> statement-breakpoint
DO $$
BEGIN
  IF to_regclass('realtime.messages') IS NOT NULL THEN
    PERFORM public.install_realtime_policies();
  END IF;
END
$$;
--> statement-breakpoint

-- Change capture. A gateway instance with postgres_changes subscriptions on a table claims
-- it here (and renews the claim); only then do the triggers notify, because NOTIFY takes a
-- global lock at commit. The notification is a reference, never the row: the gateway reads
-- the row back as each subscriber, under RLS.
CREATE TABLE IF NOT EXISTS public.realtime_captures (
  "instanceId" uuid NOT NULL,
  "tableName" text NOT NULL,
  "expiresAt" timestamptz NOT NULL,
  CONSTRAINT realtime_captures_pkey PRIMARY KEY ("instanceId", "tableName")
);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS idx_realtime_captures_table_name
  ON public.realtime_captures ("tableName", "expiresAt");
--> statement-breakpoint
ALTER TABLE public.realtime_captures ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
REVOKE ALL ON public.realtime_captures FROM PUBLIC, anon, authenticated;
--> statement-breakpoint
-- Arguments: the column holding the chat id, then the primary key columns.
CREATE OR REPLACE FUNCTION public.realtime_capture_change()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
  row_data jsonb;
  key_data jsonb := '{}'::jsonb;
  i integer;
BEGIN
  IF NOT EXISTS (
    SELECT 1 FROM public.realtime_captures c
    WHERE c."tableName" = TG_TABLE_NAME AND c."expiresAt" > now()
  ) THEN
    RETURN NULL;
  END IF;
  IF TG_OP = 'DELETE' THEN
    row_data := to_jsonb(OLD);
  ELSE
    row_data := to_jsonb(NEW);
  END IF;
  FOR i IN 1 .. TG_NARGS - 1 LOOP
    key_data := key_data || jsonb_build_object(TG_ARGV[i], row_data -> TG_ARGV[i]);
  END LOOP;
  PERFORM pg_notify('parley_changes', jsonb_build_object(
    't', TG_TABLE_NAME,
    'o', TG_OP,
    'k', key_data,
    'c', row_data ->> TG_ARGV[0],
    'ts', now()
  )::text);
  RETURN NULL;
END
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION public.realtime_capture_change() FROM PUBLIC;
--> statement-breakpoint
CREATE OR REPLACE TRIGGER z_realtime_capture AFTER INSERT OR UPDATE OR DELETE ON public.messages
  FOR EACH ROW EXECUTE FUNCTION public.realtime_capture_change('chatId', 'id');
--> statement-breakpoint
CREATE OR REPLACE TRIGGER z_realtime_capture AFTER INSERT OR UPDATE OR DELETE ON public.chats
  FOR EACH ROW EXECUTE FUNCTION public.realtime_capture_change('id', 'id');
--> statement-breakpoint
CREATE OR REPLACE TRIGGER z_realtime_capture AFTER INSERT OR UPDATE OR DELETE ON public.chat_members
  FOR EACH ROW EXECUTE FUNCTION public.realtime_capture_change('chatId', 'chatId', 'userId');
--> statement-breakpoint
CREATE OR REPLACE TRIGGER z_realtime_capture AFTER INSERT OR UPDATE OR DELETE ON public.message_reactions
  FOR EACH ROW EXECUTE FUNCTION public.realtime_capture_change('chatId', 'messageId', 'userId', 'emoji');
--> statement-breakpoint

-- Cross-instance relay of payloads too large for a NOTIFY (8,000 bytes): the row is written,
-- its id notified, and the row purged after a minute.
CREATE TABLE IF NOT EXISTS public.realtime_outbox (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  payload text NOT NULL,
  "createdAt" timestamptz NOT NULL DEFAULT now()
);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS idx_realtime_outbox_created_at ON public.realtime_outbox ("createdAt");
--> statement-breakpoint
ALTER TABLE public.realtime_outbox ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
REVOKE ALL ON public.realtime_outbox FROM PUBLIC, anon, authenticated;
