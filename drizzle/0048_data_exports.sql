-- "Download my data": a person asks for a copy of what Parley keeps about them; a background
-- worker gathers it into one ZIP archive in private storage and mails a link that works for a
-- bounded time. Each person reads their own requests; nobody writes the table but the
-- request function and the worker (owner connection).
CREATE TABLE public.data_exports (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  "userId" uuid NOT NULL REFERENCES public."user"(id) ON DELETE CASCADE,
  status text NOT NULL DEFAULT 'queued',
  progress integer NOT NULL DEFAULT 0,
  "storagePath" text,
  size bigint,
  error text,
  attempts integer NOT NULL DEFAULT 0,
  "nextAttemptAt" timestamptz NOT NULL DEFAULT now(),
  "leasedUntil" timestamptz,
  "createdAt" timestamptz NOT NULL DEFAULT now(),
  "readyAt" timestamptz,
  "expiresAt" timestamptz,
  CONSTRAINT data_exports_status CHECK (status IN ('queued', 'running', 'ready', 'failed', 'expired')),
  CONSTRAINT data_exports_progress CHECK (progress BETWEEN 0 AND 100),
  CONSTRAINT data_exports_attempts CHECK (attempts >= 0),
  CONSTRAINT data_exports_size CHECK (size >= 0),
  -- The archive lives under the person's own private prefix, named by the export.
  CONSTRAINT data_exports_storage_path CHECK (
    "storagePath" = 'exports/' || "userId"::text || '/' || id::text || '.zip'
  ),
  CONSTRAINT data_exports_error CHECK (char_length(error) <= 2000),
  -- A ready export has all a download needs, and a time it stops working.
  CONSTRAINT data_exports_ready CHECK (
    status <> 'ready'
    OR ("storagePath" IS NOT NULL AND size IS NOT NULL AND "readyAt" IS NOT NULL
        AND "expiresAt" > "readyAt" AND progress = 100)
  )
);
--> statement-breakpoint
CREATE INDEX idx_data_exports_user_id_created_at ON public.data_exports ("userId", "createdAt");
--> statement-breakpoint
-- One export in flight a person, whoever writes the row.
CREATE UNIQUE INDEX idx_data_exports_in_flight ON public.data_exports ("userId")
  WHERE status IN ('queued', 'running');
--> statement-breakpoint
CREATE INDEX idx_data_exports_due ON public.data_exports ("nextAttemptAt")
  WHERE status IN ('queued', 'running');
--> statement-breakpoint
CREATE INDEX idx_data_exports_expires_at ON public.data_exports ("expiresAt")
  WHERE status = 'ready';
--> statement-breakpoint
ALTER TABLE public.data_exports ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE public.data_exports FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY data_exports_select_own ON public.data_exports FOR SELECT TO authenticated
  USING ("userId" = (SELECT public.get_auth_user_id()));
--> statement-breakpoint
-- Not the error text (the server's words, for the dead letters) nor the lease bookkeeping.
GRANT SELECT (id, "userId", status, progress, "storagePath", size, "createdAt", "readyAt", "expiresAt")
  ON public.data_exports TO authenticated;
--> statement-breakpoint
-- Asking for one's data: refused while another export of the caller's is queued or running,
-- and within `p_min_interval_minutes` (at least one) of the caller's last request that did
-- not fail. A transaction-scoped lock on the caller's id makes two requests at once queue.
CREATE OR REPLACE FUNCTION public.request_data_export(p_min_interval_minutes integer)
RETURNS uuid
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
  me uuid := public.get_auth_user_id();
  interval_minutes integer := greatest(coalesce(p_min_interval_minutes, 1), 1);
  last_requested timestamptz;
  created uuid;
BEGIN
  IF me IS NULL THEN
    RAISE EXCEPTION 'Sign in to ask for your data' USING ERRCODE = '42501';
  END IF;
  PERFORM pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtextextended('data_export:' || me::text, 0));
  IF EXISTS (SELECT 1 FROM public.data_exports e
             WHERE e."userId" = me AND e.status IN ('queued', 'running')) THEN
    RAISE EXCEPTION 'Your data is already being prepared; wait for it to be ready'
      USING ERRCODE = '55000';
  END IF;
  SELECT max(e."createdAt") INTO last_requested FROM public.data_exports e
    WHERE e."userId" = me AND e.status <> 'failed';
  IF last_requested > now() - make_interval(mins => interval_minutes) THEN
    RAISE EXCEPTION 'You can ask for your data once every % minutes', interval_minutes
      USING ERRCODE = '54000';
  END IF;
  INSERT INTO public.data_exports ("userId") VALUES (me) RETURNING id INTO created;
  RETURN created;
END
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION public.request_data_export(integer) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION public.request_data_export(integer) TO authenticated;
--> statement-breakpoint
-- An archive whose row goes (its owner deleted) or that stops being downloadable (expired,
-- or a new try of a failed build) is removed from storage through the deletion outbox.
CREATE OR REPLACE FUNCTION public.data_exports_queue_files()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = ''
AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    IF OLD."storagePath" IS NOT NULL THEN
      INSERT INTO public.storage_deletions (bucket, path) VALUES ('message-attachments', OLD."storagePath");
    END IF;
    RETURN NULL;
  END IF;
  IF OLD."storagePath" IS NOT NULL AND NEW."storagePath" IS NULL THEN
    INSERT INTO public.storage_deletions (bucket, path) VALUES ('message-attachments', OLD."storagePath");
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION public.data_exports_queue_files() FROM PUBLIC;
--> statement-breakpoint
CREATE TRIGGER data_exports_queue_files AFTER UPDATE OF "storagePath" OR DELETE ON public.data_exports
  FOR EACH ROW EXECUTE FUNCTION public.data_exports_queue_files();
--> statement-breakpoint
ALTER TABLE public.dead_letters DROP CONSTRAINT dead_letters_queue_check;
--> statement-breakpoint
ALTER TABLE public.dead_letters ADD CONSTRAINT dead_letters_queue_check
  CHECK (queue IN ('audit', 'storage_deletions', 'notifications', 'push', 'data_exports'));
