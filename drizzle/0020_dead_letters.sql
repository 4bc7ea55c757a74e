-- Work a queue could not do and will not try again: an audit row the database refused, a file
-- deletion that kept failing or named an unsafe path. Set aside here with the error so it
-- never blocks what is queued behind it, and so an admin can see it.
CREATE TABLE IF NOT EXISTS public.dead_letters (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  queue text NOT NULL CHECK (queue IN ('audit', 'storage_deletions')),
  payload jsonb NOT NULL,
  error text NOT NULL CHECK (length(error) <= 2000),
  attempts integer NOT NULL DEFAULT 1 CHECK (attempts >= 1),
  "createdAt" timestamptz NOT NULL DEFAULT now()
);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS idx_dead_letters_created_at ON public.dead_letters ("createdAt");
--> statement-breakpoint
ALTER TABLE public.dead_letters ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
REVOKE ALL ON public.dead_letters FROM PUBLIC, anon, authenticated;
--> statement-breakpoint
GRANT SELECT ON public.dead_letters TO authenticated;
--> statement-breakpoint
DROP POLICY IF EXISTS dead_letters_admin_read ON public.dead_letters;
--> statement-breakpoint
CREATE POLICY dead_letters_admin_read ON public.dead_letters
  FOR SELECT TO authenticated USING (public.is_admin());
--> statement-breakpoint
-- File deletions retry with backoff, and give up (to dead_letters) after a bound.
ALTER TABLE public.storage_deletions ADD COLUMN IF NOT EXISTS "nextAttemptAt" timestamptz NOT NULL DEFAULT now();
--> statement-breakpoint
ALTER TABLE public.storage_deletions ADD COLUMN IF NOT EXISTS "lastError" text;
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS idx_storage_deletions_next_attempt ON public.storage_deletions (bucket, "nextAttemptAt");
