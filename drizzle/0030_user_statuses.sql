-- A custom status: an emoji and a few words ("🌴 On holiday"), until a time or until cleared.
-- Seen by whoever may see the person (the same rule as their name), never once it expired.
CREATE TABLE IF NOT EXISTS public.user_statuses (
  "userId" uuid PRIMARY KEY REFERENCES public."user"(id) ON DELETE CASCADE,
  emoji text,
  text text DEFAULT '' NOT NULL,
  "expiresAt" timestamptz,
  "updatedAt" timestamptz DEFAULT now() NOT NULL,
  CONSTRAINT user_statuses_emoji CHECK (emoji IS NULL OR (char_length(emoji) BETWEEN 1 AND 32 AND emoji !~ '\s')),
  CONSTRAINT user_statuses_text CHECK (char_length(text) <= 100 AND text !~ '[\x01-\x1f\x7f]'),
  CONSTRAINT user_statuses_not_empty CHECK (emoji IS NOT NULL OR char_length(btrim(text)) > 0)
);
--> statement-breakpoint
ALTER TABLE public.user_statuses ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
REVOKE ALL ON public.user_statuses FROM PUBLIC, anon, authenticated;
--> statement-breakpoint
GRANT SELECT, DELETE ON public.user_statuses TO authenticated;
--> statement-breakpoint
GRANT INSERT ("userId", emoji, text, "expiresAt", "updatedAt") ON public.user_statuses TO authenticated;
--> statement-breakpoint
GRANT UPDATE (emoji, text, "expiresAt", "updatedAt") ON public.user_statuses TO authenticated;
--> statement-breakpoint
-- Visible with the person (the subquery reads "user" under its own policies) until it
-- expires; its owner keeps seeing the row, to replace or clear it.
CREATE POLICY user_statuses_select_visible ON public.user_statuses FOR SELECT TO authenticated
  USING (
    "userId" = (SELECT public.get_auth_user_id())
    OR (
      ("expiresAt" IS NULL OR "expiresAt" > now())
      AND EXISTS (SELECT 1 FROM public."user" u WHERE u.id = "userId")
    )
  );
--> statement-breakpoint
CREATE POLICY user_statuses_insert_own ON public.user_statuses FOR INSERT TO authenticated
  WITH CHECK ("userId" = (SELECT public.get_auth_user_id()));
--> statement-breakpoint
CREATE POLICY user_statuses_update_own ON public.user_statuses FOR UPDATE TO authenticated
  USING ("userId" = (SELECT public.get_auth_user_id()))
  WITH CHECK ("userId" = (SELECT public.get_auth_user_id()));
--> statement-breakpoint
CREATE POLICY user_statuses_delete_own ON public.user_statuses FOR DELETE TO authenticated
  USING ("userId" = (SELECT public.get_auth_user_id()));
--> statement-breakpoint
-- The time is the database's; a request role's status set to expire in the past, or more
-- than a year ahead, is refused.
CREATE OR REPLACE FUNCTION public.user_statuses_stamp()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = ''
AS $$
BEGIN
  NEW."updatedAt" := now();
  IF public.is_request_role() AND NEW."expiresAt" IS NOT NULL
     AND (NEW."expiresAt" <= now() OR NEW."expiresAt" > now() + interval '366 days') THEN
    RAISE EXCEPTION 'A status expires between now and a year from now' USING ERRCODE = '22023';
  END IF;
  RETURN NEW;
END
$$;
--> statement-breakpoint
CREATE OR REPLACE TRIGGER user_statuses_stamp BEFORE INSERT OR UPDATE ON public.user_statuses
  FOR EACH ROW EXECUTE FUNCTION public.user_statuses_stamp();
