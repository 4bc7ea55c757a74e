-- Outgoing webhooks: a person's or a workspace's endpoints, and every event queued for one of
-- them (the delivery queue and its log in one table). Endpoints are managed under RLS by their
-- owner (a person) or by the owners and admins of their workspace; the signing secret is never
-- readable by a request role (no column grant): it is shown once when made or rotated. Events
-- are queued by triggers in the transaction of the change, so a committed change always has
-- its deliveries; the worker on the owner connection sends them after commit.

-- Whether the caller manages endpoints of this owner: their own, or, in the workspace their
-- request runs in, those of a workspace they own or administer.
CREATE OR REPLACE FUNCTION public.can_manage_webhooks(p_user_id uuid, p_organization_id uuid)
RETURNS boolean
LANGUAGE sql
STABLE
SECURITY DEFINER
SET search_path = ''
AS $$
  SELECT CASE
    WHEN p_user_id IS NOT NULL THEN p_user_id = public.get_auth_user_id()
    WHEN p_organization_id IS NOT NULL THEN
      p_organization_id = public.get_current_tenant_id()
      AND coalesce(public.workspace_role(p_organization_id) IN ('owner', 'admin'), false)
    ELSE false
  END
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION public.can_manage_webhooks(uuid, uuid) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION public.can_manage_webhooks(uuid, uuid) TO authenticated;
--> statement-breakpoint
CREATE TABLE public.webhook_endpoints (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  "userId" uuid REFERENCES public."user"(id) ON DELETE CASCADE,
  "organizationId" uuid REFERENCES public.organization(id) ON DELETE CASCADE,
  "createdBy" uuid REFERENCES public."user"(id) ON DELETE SET NULL,
  url text NOT NULL,
  description text NOT NULL DEFAULT '',
  secret text NOT NULL,
  "eventTypes" text[] NOT NULL,
  enabled boolean NOT NULL DEFAULT true,
  "disabledReason" text,
  "disabledAt" timestamptz,
  "consecutiveFailures" integer NOT NULL DEFAULT 0,
  "lastSuccessAt" timestamptz,
  "lastFailureAt" timestamptz,
  "createdAt" timestamptz NOT NULL DEFAULT now(),
  "updatedAt" timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT webhook_endpoints_one_owner CHECK (num_nonnulls("userId", "organizationId") = 1),
  -- https anywhere; plain http only to this machine (a development receiver), which the
  -- server itself refuses to reach outside development.
  CONSTRAINT webhook_endpoints_url CHECK (
    char_length(url) <= 2048
    AND (url ~ '^https://[^/?#@[:space:]]+([/?#][^[:space:]]*)?$'
      OR url ~ '^http://(localhost|127\.0\.0\.1|\[::1\])(:[0-9]{1,5})?([/?#][^[:space:]]*)?$')
  ),
  CONSTRAINT webhook_endpoints_description CHECK (char_length(description) <= 200),
  -- Standard Webhooks' form: whsec_ and 24 to 64 random bytes in base64.
  CONSTRAINT webhook_endpoints_secret CHECK (secret ~ '^whsec_[A-Za-z0-9+/]{32,88}={0,2}$'),
  CONSTRAINT webhook_endpoints_event_types CHECK (
    cardinality("eventTypes") BETWEEN 1 AND 7
    AND "eventTypes" <@ ARRAY['message.created', 'message.edited', 'message.deleted',
      'member.joined', 'member.left', 'reaction.added', 'reaction.removed']::text[]
  ),
  CONSTRAINT webhook_endpoints_disabled CHECK (enabled = ("disabledAt" IS NULL)),
  CONSTRAINT webhook_endpoints_disabled_reason CHECK (char_length("disabledReason") <= 500),
  CONSTRAINT webhook_endpoints_failures CHECK ("consecutiveFailures" >= 0)
);
--> statement-breakpoint
CREATE INDEX idx_webhook_endpoints_user_id ON public.webhook_endpoints ("userId");
--> statement-breakpoint
CREATE INDEX idx_webhook_endpoints_organization_id ON public.webhook_endpoints ("organizationId");
--> statement-breakpoint
CREATE INDEX idx_webhook_endpoints_enabled ON public.webhook_endpoints (id) WHERE enabled;
--> statement-breakpoint
ALTER TABLE public.webhook_endpoints ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE public.webhook_endpoints FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY webhook_endpoints_select_manager ON public.webhook_endpoints FOR SELECT TO authenticated
  USING ((SELECT public.can_manage_webhooks("userId", "organizationId")));
--> statement-breakpoint
CREATE POLICY webhook_endpoints_insert_manager ON public.webhook_endpoints FOR INSERT TO authenticated
  WITH CHECK ((SELECT public.can_manage_webhooks("userId", "organizationId")));
--> statement-breakpoint
CREATE POLICY webhook_endpoints_update_manager ON public.webhook_endpoints FOR UPDATE TO authenticated
  USING ((SELECT public.can_manage_webhooks("userId", "organizationId")))
  WITH CHECK ((SELECT public.can_manage_webhooks("userId", "organizationId")));
--> statement-breakpoint
CREATE POLICY webhook_endpoints_delete_manager ON public.webhook_endpoints FOR DELETE TO authenticated
  USING ((SELECT public.can_manage_webhooks("userId", "organizationId")));
--> statement-breakpoint
-- Never the secret: it is written, never read back, by a request.
GRANT SELECT (id, "userId", "organizationId", "createdBy", url, description, "eventTypes", enabled,
  "disabledReason", "disabledAt", "consecutiveFailures", "lastSuccessAt", "lastFailureAt",
  "createdAt", "updatedAt") ON public.webhook_endpoints TO authenticated;
--> statement-breakpoint
GRANT INSERT ("userId", "organizationId", url, description, secret, "eventTypes")
  ON public.webhook_endpoints TO authenticated;
--> statement-breakpoint
GRANT UPDATE (url, description, secret, "eventTypes", enabled) ON public.webhook_endpoints TO authenticated;
--> statement-breakpoint
GRANT DELETE ON public.webhook_endpoints TO authenticated;
--> statement-breakpoint
-- What a request cannot decide: who made an endpoint, its health, and at most ten endpoints an
-- owner (each event is sent to every one of them).
CREATE OR REPLACE FUNCTION public.webhook_endpoints_guard()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = ''
AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    NEW."createdBy" := public.get_auth_user_id();
    NEW.enabled := true;
    NEW."disabledReason" := NULL;
    NEW."disabledAt" := NULL;
    NEW."consecutiveFailures" := 0;
    NEW."lastSuccessAt" := NULL;
    NEW."lastFailureAt" := NULL;
    NEW."createdAt" := now();
    PERFORM pg_advisory_xact_lock(hashtext('webhook_endpoints'),
      hashtext(coalesce(NEW."userId", NEW."organizationId")::text));
    IF (SELECT count(*) FROM public.webhook_endpoints e
        WHERE e."userId" IS NOT DISTINCT FROM NEW."userId"
          AND e."organizationId" IS NOT DISTINCT FROM NEW."organizationId") >= 10 THEN
      RAISE EXCEPTION 'At most 10 webhook endpoints each; delete one first' USING ERRCODE = '54000';
    END IF;
  ELSE
    NEW."userId" := OLD."userId";
    NEW."organizationId" := OLD."organizationId";
    NEW."createdBy" := OLD."createdBy";
    NEW."createdAt" := OLD."createdAt";
    IF NEW.enabled AND NOT OLD.enabled THEN
      NEW."disabledReason" := NULL;
      NEW."disabledAt" := NULL;
      NEW."consecutiveFailures" := 0;
    ELSIF NOT NEW.enabled AND OLD.enabled THEN
      NEW."disabledReason" := coalesce(NEW."disabledReason", 'Turned off');
      NEW."disabledAt" := now();
    END IF;
  END IF;
  NEW."updatedAt" := now();
  RETURN NEW;
END
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION public.webhook_endpoints_guard() FROM PUBLIC;
--> statement-breakpoint
CREATE TRIGGER webhook_endpoints_guard BEFORE INSERT OR UPDATE ON public.webhook_endpoints
  FOR EACH ROW EXECUTE FUNCTION public.webhook_endpoints_guard();
--> statement-breakpoint
-- One event for one endpoint: queued with the change, sent (and retried) by the worker, then
-- kept as the endpoint's delivery log. `subject` holds the ids the event is about; the payload
-- is built when it is sent, from what the endpoint's owner may read then, and kept as sent.
-- The owner columns repeat the endpoint's, so the log's policy needs no join.
CREATE TABLE public.webhook_deliveries (
  id bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY,
  "endpointId" uuid NOT NULL REFERENCES public.webhook_endpoints(id) ON DELETE CASCADE,
  "userId" uuid REFERENCES public."user"(id) ON DELETE CASCADE,
  "organizationId" uuid REFERENCES public.organization(id) ON DELETE CASCADE,
  "eventId" uuid NOT NULL,
  "eventType" text NOT NULL,
  "chatId" uuid,
  subject jsonb NOT NULL DEFAULT '{}'::jsonb,
  payload jsonb,
  status text NOT NULL DEFAULT 'pending',
  attempts integer NOT NULL DEFAULT 0,
  "nextAttemptAt" timestamptz NOT NULL DEFAULT now(),
  "lastAttemptAt" timestamptz,
  "responseStatus" integer,
  "lastError" text,
  "occurredAt" timestamptz NOT NULL DEFAULT now(),
  "createdAt" timestamptz NOT NULL DEFAULT now(),
  "settledAt" timestamptz,
  CONSTRAINT webhook_deliveries_once UNIQUE ("endpointId", "eventId"),
  CONSTRAINT webhook_deliveries_one_owner CHECK (num_nonnulls("userId", "organizationId") = 1),
  CONSTRAINT webhook_deliveries_event_type CHECK ("eventType" IN ('message.created',
    'message.edited', 'message.deleted', 'member.joined', 'member.left', 'reaction.added',
    'reaction.removed', 'webhook.test')),
  CONSTRAINT webhook_deliveries_status CHECK (status IN ('pending', 'succeeded', 'failed', 'skipped')),
  CONSTRAINT webhook_deliveries_settled CHECK ((status = 'pending') = ("settledAt" IS NULL)),
  CONSTRAINT webhook_deliveries_attempts CHECK (attempts BETWEEN 0 AND 100),
  CONSTRAINT webhook_deliveries_response_status CHECK ("responseStatus" BETWEEN 100 AND 599),
  CONSTRAINT webhook_deliveries_last_error CHECK (char_length("lastError") <= 2000)
);
--> statement-breakpoint
CREATE INDEX idx_webhook_deliveries_pending ON public.webhook_deliveries ("nextAttemptAt")
  WHERE status = 'pending';
--> statement-breakpoint
CREATE INDEX idx_webhook_deliveries_endpoint_id ON public.webhook_deliveries ("endpointId", id);
--> statement-breakpoint
CREATE INDEX idx_webhook_deliveries_user_id ON public.webhook_deliveries ("userId");
--> statement-breakpoint
CREATE INDEX idx_webhook_deliveries_organization_id ON public.webhook_deliveries ("organizationId");
--> statement-breakpoint
CREATE INDEX idx_webhook_deliveries_message_id ON public.webhook_deliveries ((subject->>'messageId'))
  WHERE subject ? 'messageId';
--> statement-breakpoint
CREATE INDEX idx_webhook_deliveries_settled_at ON public.webhook_deliveries ("settledAt")
  WHERE "settledAt" IS NOT NULL;
--> statement-breakpoint
ALTER TABLE public.webhook_deliveries ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE public.webhook_deliveries FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY webhook_deliveries_select_manager ON public.webhook_deliveries FOR SELECT TO authenticated
  USING ((SELECT public.can_manage_webhooks("userId", "organizationId")));
--> statement-breakpoint
GRANT SELECT ON public.webhook_deliveries TO authenticated;
--> statement-breakpoint
-- Queues one event for every enabled endpoint subscribed to it whose owner might read the
-- chat: a person's endpoints when they are (or, leaving, were) in it, a workspace's when the
-- chat is one of its public rooms. Whether the owner may read it is decided again, under RLS,
-- when it is sent. Costs one index probe while no endpoint is enabled.
CREATE OR REPLACE FUNCTION public.queue_webhook_event(
  p_type text, p_chat_id uuid, p_subject jsonb, p_also_user uuid
)
RETURNS void
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
  event uuid := gen_random_uuid();
BEGIN
  IF NOT EXISTS (SELECT 1 FROM public.webhook_endpoints e WHERE e.enabled) THEN
    RETURN;
  END IF;
  INSERT INTO public.webhook_deliveries
    ("endpointId", "userId", "organizationId", "eventId", "eventType", "chatId", subject)
  SELECT e.id, e."userId", e."organizationId", event, p_type, p_chat_id, p_subject
  FROM public.webhook_endpoints e
  WHERE e.enabled AND p_type = ANY (e."eventTypes")
    AND (
      e."userId" IN (SELECT m."userId" FROM public.chat_members m WHERE m."chatId" = p_chat_id)
      OR e."userId" = p_also_user
      OR e."organizationId" = (SELECT c."organizationId" FROM public.chats c
                               WHERE c.id = p_chat_id AND c.visibility = 'public')
    );
END
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION public.queue_webhook_event(text, uuid, jsonb, uuid) FROM PUBLIC;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION public.messages_queue_webhooks()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = ''
AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM public.queue_webhook_event('message.created', NEW."chatId",
      jsonb_build_object('messageId', NEW.id), NULL);
  ELSIF NEW."deletedAt" IS NOT NULL AND OLD."deletedAt" IS NULL THEN
    PERFORM public.queue_webhook_event('message.deleted', NEW."chatId",
      jsonb_build_object('messageId', NEW.id), NULL);
    -- Deleted words leave the delivery logs too, not only what is sent from now on.
    UPDATE public.webhook_deliveries d
    SET payload = jsonb_set(d.payload, '{data,message,content}', 'null'::jsonb)
    WHERE d.subject->>'messageId' = NEW.id::text
      AND d.payload #> '{data,message,content}' IS NOT NULL
      AND d.payload #> '{data,message,content}' <> 'null'::jsonb;
  ELSIF NEW."deletedAt" IS NULL AND NEW.content IS DISTINCT FROM OLD.content THEN
    PERFORM public.queue_webhook_event('message.edited', NEW."chatId",
      jsonb_build_object('messageId', NEW.id), NULL);
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION public.messages_queue_webhooks() FROM PUBLIC;
--> statement-breakpoint
-- System messages (joins, renames) are told by the membership events instead.
CREATE TRIGGER messages_queue_webhooks AFTER INSERT OR UPDATE OF content, "deletedAt" ON public.messages
  FOR EACH ROW WHEN (NEW.type <> 'system')
  EXECUTE FUNCTION public.messages_queue_webhooks();
--> statement-breakpoint
CREATE OR REPLACE FUNCTION public.chat_members_queue_webhooks()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = ''
AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM public.queue_webhook_event('member.joined', NEW."chatId",
      jsonb_build_object('userId', NEW."userId"), NEW."userId");
  ELSE
    PERFORM public.queue_webhook_event('member.left', OLD."chatId",
      jsonb_build_object('userId', OLD."userId"), OLD."userId");
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION public.chat_members_queue_webhooks() FROM PUBLIC;
--> statement-breakpoint
CREATE TRIGGER chat_members_queue_webhooks AFTER INSERT OR DELETE ON public.chat_members
  FOR EACH ROW EXECUTE FUNCTION public.chat_members_queue_webhooks();
--> statement-breakpoint
CREATE OR REPLACE FUNCTION public.message_reactions_queue_webhooks()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = ''
AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM public.queue_webhook_event('reaction.added', NEW."chatId",
      jsonb_build_object('messageId', NEW."messageId", 'userId', NEW."userId", 'emoji', NEW.emoji),
      NULL);
  ELSE
    PERFORM public.queue_webhook_event('reaction.removed', OLD."chatId",
      jsonb_build_object('messageId', OLD."messageId", 'userId', OLD."userId", 'emoji', OLD.emoji),
      NULL);
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION public.message_reactions_queue_webhooks() FROM PUBLIC;
--> statement-breakpoint
CREATE TRIGGER message_reactions_queue_webhooks AFTER INSERT OR DELETE ON public.message_reactions
  FOR EACH ROW EXECUTE FUNCTION public.message_reactions_queue_webhooks();
--> statement-breakpoint
-- "Send test event": queues a webhook.test event for an endpoint the caller manages.
CREATE OR REPLACE FUNCTION public.queue_webhook_test(p_endpoint_id uuid)
RETURNS bigint
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
  queued bigint;
BEGIN
  INSERT INTO public.webhook_deliveries
    ("endpointId", "userId", "organizationId", "eventId", "eventType", subject)
  SELECT e.id, e."userId", e."organizationId", gen_random_uuid(), 'webhook.test', '{}'::jsonb
  FROM public.webhook_endpoints e
  WHERE e.id = p_endpoint_id AND public.can_manage_webhooks(e."userId", e."organizationId")
  RETURNING id INTO queued;
  IF queued IS NULL THEN
    RAISE EXCEPTION 'No such webhook endpoint' USING ERRCODE = 'P0002';
  END IF;
  RETURN queued;
END
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION public.queue_webhook_test(uuid) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION public.queue_webhook_test(uuid) TO authenticated;
--> statement-breakpoint
-- Sends a settled event again, with its retries, under the same webhook-id (receivers that
-- saw it already recognise it).
CREATE OR REPLACE FUNCTION public.redeliver_webhook(p_delivery_id bigint)
RETURNS void
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = ''
AS $$
BEGIN
  UPDATE public.webhook_deliveries d
  SET status = 'pending', attempts = 0, "nextAttemptAt" = now(), "settledAt" = NULL
  WHERE d.id = p_delivery_id AND d.status <> 'pending'
    AND public.can_manage_webhooks(d."userId", d."organizationId");
  IF NOT FOUND THEN
    RAISE EXCEPTION 'No such settled delivery' USING ERRCODE = 'P0002';
  END IF;
END
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION public.redeliver_webhook(bigint) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION public.redeliver_webhook(bigint) TO authenticated;
