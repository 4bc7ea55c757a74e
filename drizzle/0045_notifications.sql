-- The notification pipeline: every new message queues one job; the server decides, per
-- member, who hears of it and how (web push now, an e-mail digest later), after commit and
-- off the send path. Jobs, deliveries and digest items are the server's bookkeeping: the owner
-- connection only. Push subscriptions are each person's own.
CREATE TABLE public.notification_jobs (
  "messageId" uuid PRIMARY KEY REFERENCES public.messages(id) ON DELETE CASCADE,
  attempts integer NOT NULL DEFAULT 0,
  "nextAttemptAt" timestamptz NOT NULL DEFAULT now(),
  "createdAt" timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT notification_jobs_attempts CHECK (attempts >= 0)
);
--> statement-breakpoint
CREATE INDEX idx_notification_jobs_next_attempt_at ON public.notification_jobs ("nextAttemptAt");
--> statement-breakpoint
ALTER TABLE public.notification_jobs ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE public.notification_jobs FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
-- In the sender's transaction: the job commits with the message or not at all.
CREATE OR REPLACE FUNCTION public.messages_queue_notification()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = ''
AS $$
BEGIN
  INSERT INTO public.notification_jobs ("messageId") VALUES (NEW.id) ON CONFLICT DO NOTHING;
  RETURN NULL;
END
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION public.messages_queue_notification() FROM PUBLIC;
--> statement-breakpoint
CREATE TRIGGER messages_queue_notification AFTER INSERT ON public.messages
  FOR EACH ROW WHEN (NEW.type <> 'system' AND NEW."senderId" IS NOT NULL)
  EXECUTE FUNCTION public.messages_queue_notification();
--> statement-breakpoint
-- One browser's push subscription (the Push API's endpoint and keys), for one person.
CREATE TABLE public.push_subscriptions (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  "userId" uuid NOT NULL REFERENCES public."user"(id) ON DELETE CASCADE,
  endpoint text NOT NULL,
  p256dh text NOT NULL,
  auth text NOT NULL,
  "userAgent" text,
  "createdAt" timestamptz NOT NULL DEFAULT now(),
  "lastSuccessAt" timestamptz,
  CONSTRAINT push_subscriptions_endpoint_unique UNIQUE (endpoint),
  CONSTRAINT push_subscriptions_endpoint CHECK (char_length(endpoint) <= 2048 AND endpoint ~ '^https?://'),
  -- An uncompressed P-256 point (65 bytes) and a 16-byte secret, base64url without padding.
  CONSTRAINT push_subscriptions_p256dh CHECK (p256dh ~ '^[A-Za-z0-9_-]{87}$'),
  CONSTRAINT push_subscriptions_auth CHECK (auth ~ '^[A-Za-z0-9_-]{22}$'),
  CONSTRAINT push_subscriptions_user_agent CHECK (char_length("userAgent") <= 300)
);
--> statement-breakpoint
CREATE INDEX idx_push_subscriptions_user_id ON public.push_subscriptions ("userId");
--> statement-breakpoint
ALTER TABLE public.push_subscriptions ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE public.push_subscriptions FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY push_subscriptions_select_own ON public.push_subscriptions FOR SELECT TO authenticated
  USING ("userId" = (SELECT public.get_auth_user_id()));
--> statement-breakpoint
CREATE POLICY push_subscriptions_delete_own ON public.push_subscriptions FOR DELETE TO authenticated
  USING ("userId" = (SELECT public.get_auth_user_id()));
--> statement-breakpoint
GRANT SELECT (id, "userId", endpoint, "userAgent", "createdAt", "lastSuccessAt") ON public.push_subscriptions TO authenticated;
--> statement-breakpoint
GRANT DELETE ON public.push_subscriptions TO authenticated;
--> statement-breakpoint
-- Subscribing: a browser's endpoint belongs to whoever subscribes with it last (the endpoint
-- is the capability: only that browser knows it), so an earlier account's row for it goes.
-- At most `max_per_user` a person.
CREATE OR REPLACE FUNCTION public.save_push_subscription(
  p_endpoint text, p_p256dh text, p_auth text, p_user_agent text, p_max_per_user integer
)
RETURNS uuid
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
  me uuid := public.get_auth_user_id();
  saved uuid;
BEGIN
  IF me IS NULL THEN
    RAISE EXCEPTION 'Sign in to turn on push notifications' USING ERRCODE = '42501';
  END IF;
  DELETE FROM public.push_subscriptions s WHERE s.endpoint = p_endpoint;
  IF (SELECT count(*) FROM public.push_subscriptions s WHERE s."userId" = me) >= p_max_per_user THEN
    RAISE EXCEPTION 'At most % devices can get push notifications; remove one first', p_max_per_user
      USING ERRCODE = '54000';
  END IF;
  INSERT INTO public.push_subscriptions ("userId", endpoint, p256dh, auth, "userAgent")
  VALUES (me, p_endpoint, p_p256dh, p_auth, left(p_user_agent, 300))
  RETURNING id INTO saved;
  RETURN saved;
END
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION public.save_push_subscription(text, text, text, text, integer) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION public.save_push_subscription(text, text, text, text, integer) TO authenticated;
--> statement-breakpoint
-- One push to one subscription for one message: queued by the pipeline, sent by the push
-- worker with retries; kept a day after it is settled, for the per-person throttle.
CREATE TABLE public.push_deliveries (
  id bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY,
  "subscriptionId" uuid NOT NULL REFERENCES public.push_subscriptions(id) ON DELETE CASCADE,
  "userId" uuid NOT NULL REFERENCES public."user"(id) ON DELETE CASCADE,
  "messageId" uuid NOT NULL REFERENCES public.messages(id) ON DELETE CASCADE,
  status text NOT NULL DEFAULT 'queued',
  attempts integer NOT NULL DEFAULT 0,
  "nextAttemptAt" timestamptz NOT NULL DEFAULT now(),
  "createdAt" timestamptz NOT NULL DEFAULT now(),
  "settledAt" timestamptz,
  CONSTRAINT push_deliveries_status CHECK (status IN ('queued', 'sent', 'failed')),
  CONSTRAINT push_deliveries_unique UNIQUE ("subscriptionId", "messageId")
);
--> statement-breakpoint
CREATE INDEX idx_push_deliveries_queued ON public.push_deliveries ("nextAttemptAt") WHERE status = 'queued';
--> statement-breakpoint
CREATE INDEX idx_push_deliveries_user_created_at ON public.push_deliveries ("userId", "createdAt");
--> statement-breakpoint
ALTER TABLE public.push_deliveries ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE public.push_deliveries FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
-- Messages waiting for a member's next e-mail digest.
CREATE TABLE public.digest_items (
  "userId" uuid NOT NULL REFERENCES public."user"(id) ON DELETE CASCADE,
  "messageId" uuid NOT NULL REFERENCES public.messages(id) ON DELETE CASCADE,
  "createdAt" timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT digest_items_pkey PRIMARY KEY ("userId", "messageId")
);
--> statement-breakpoint
CREATE INDEX idx_digest_items_created_at ON public.digest_items ("createdAt");
--> statement-breakpoint
ALTER TABLE public.digest_items ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE public.digest_items FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
-- When each person was last sent a digest: never more than one an interval.
CREATE TABLE public.digest_state (
  "userId" uuid PRIMARY KEY REFERENCES public."user"(id) ON DELETE CASCADE,
  "lastSentAt" timestamptz NOT NULL
);
--> statement-breakpoint
ALTER TABLE public.digest_state ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE public.digest_state FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
-- The development mailbox keeps a mail's extra headers (List-Unsubscribe) to be read back.
ALTER TABLE public.dev_mailbox ADD COLUMN headers jsonb;
--> statement-breakpoint
ALTER TABLE public.dead_letters DROP CONSTRAINT dead_letters_queue_check;
--> statement-breakpoint
ALTER TABLE public.dead_letters ADD CONSTRAINT dead_letters_queue_check
  CHECK (queue IN ('audit', 'storage_deletions', 'notifications', 'push'));
