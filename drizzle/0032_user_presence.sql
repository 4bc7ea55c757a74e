-- Where and when people are: each person's own choices (their time zone, which the browser
-- keeps current while they share it, and whether they show when they were last seen), and
-- when they were last online, which the realtime gateway records as their connections come
-- and go. Last seen is two-way, like read receipts: whoever hides theirs sees nobody's.
CREATE TABLE IF NOT EXISTS public.user_presence (
  "userId" uuid PRIMARY KEY REFERENCES public."user"(id) ON DELETE CASCADE,
  "timeZone" text,
  "shareLocalTime" boolean DEFAULT true NOT NULL,
  "showLastSeen" boolean DEFAULT true NOT NULL,
  "updatedAt" timestamptz DEFAULT now() NOT NULL,
  CONSTRAINT user_presence_time_zone CHECK ("timeZone" IS NULL OR char_length("timeZone") BETWEEN 1 AND 64)
);
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS public.user_last_seen (
  "userId" uuid PRIMARY KEY REFERENCES public."user"(id) ON DELETE CASCADE,
  "lastSeenAt" timestamptz NOT NULL
);
--> statement-breakpoint
ALTER TABLE public.user_presence ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE public.user_last_seen ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
REVOKE ALL ON public.user_presence, public.user_last_seen FROM PUBLIC, anon, authenticated;
--> statement-breakpoint
-- Guard: a time zone Postgres knows (an unknown one raises 22023 here), kept only while
-- shared; the time is the database's.
CREATE OR REPLACE FUNCTION public.user_presence_guard()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = ''
AS $$
BEGIN
  IF NOT NEW."shareLocalTime" THEN
    NEW."timeZone" := NULL;
  ELSIF NEW."timeZone" IS NOT NULL THEN
    PERFORM now() AT TIME ZONE NEW."timeZone";
  END IF;
  NEW."updatedAt" := now();
  RETURN NEW;
END
$$;
--> statement-breakpoint
CREATE OR REPLACE TRIGGER user_presence_guard BEFORE INSERT OR UPDATE ON public.user_presence
  FOR EACH ROW EXECUTE FUNCTION public.user_presence_guard();
--> statement-breakpoint
GRANT SELECT ON public.user_presence TO authenticated;
--> statement-breakpoint
GRANT INSERT ("userId", "timeZone", "shareLocalTime", "showLastSeen", "updatedAt") ON public.user_presence TO authenticated;
--> statement-breakpoint
GRANT UPDATE ("timeZone", "shareLocalTime", "showLastSeen", "updatedAt") ON public.user_presence TO authenticated;
--> statement-breakpoint
-- Seen with the person (the subquery reads "user" under its own policies).
CREATE POLICY user_presence_select_visible ON public.user_presence FOR SELECT TO authenticated
  USING (
    "userId" = (SELECT public.get_auth_user_id())
    OR EXISTS (SELECT 1 FROM public."user" u WHERE u.id = "userId")
  );
--> statement-breakpoint
CREATE POLICY user_presence_insert_own ON public.user_presence FOR INSERT TO authenticated
  WITH CHECK ("userId" = (SELECT public.get_auth_user_id()));
--> statement-breakpoint
CREATE POLICY user_presence_update_own ON public.user_presence FOR UPDATE TO authenticated
  USING ("userId" = (SELECT public.get_auth_user_id()))
  WITH CHECK ("userId" = (SELECT public.get_auth_user_id()));
--> statement-breakpoint
-- Whether someone shows when they were last seen (everyone does until they turn it off).
CREATE OR REPLACE FUNCTION public.shows_last_seen(person uuid)
RETURNS boolean
LANGUAGE sql
STABLE
SECURITY DEFINER
SET search_path = ''
AS $$
  SELECT coalesce((SELECT p."showLastSeen" FROM public.user_presence p WHERE p."userId" = person), true);
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION public.shows_last_seen(uuid) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION public.shows_last_seen(uuid) TO authenticated;
--> statement-breakpoint
GRANT SELECT ON public.user_last_seen TO authenticated;
--> statement-breakpoint
-- One's own always; someone else's when one may see them and both show theirs.
CREATE POLICY user_last_seen_select_visible ON public.user_last_seen FOR SELECT TO authenticated
  USING (
    "userId" = (SELECT public.get_auth_user_id())
    OR (
      EXISTS (SELECT 1 FROM public."user" u WHERE u.id = "userId")
      AND public.shows_last_seen("userId")
      AND (SELECT public.shows_last_seen(public.get_auth_user_id()))
    )
  );
