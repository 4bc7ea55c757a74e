-- Admin area: statistics and policies for site admins (is_admin()).
--
-- Admins already read every user, API key and audit row through the `*_select_admin`
-- policies of 0001. Messages stay closed to them: the only admin view of the messages table
-- is the per-day count below, which never returns a row's content.

-- Messages per UTC day in [p_from, p_to], days without messages as zero. Site admins only:
-- anyone else gets insufficient_privilege (42501), not an empty result that looks like a
-- quiet day. System messages (joins, renames) are not counted.
CREATE OR REPLACE FUNCTION public.admin_message_counts(p_from date, p_to date)
RETURNS TABLE (day date, messages integer)
LANGUAGE plpgsql
STABLE
SECURITY DEFINER
SET search_path = ''
AS $$
#variable_conflict use_column
BEGIN
  IF NOT public.is_admin() THEN
    RAISE EXCEPTION 'Admins only' USING ERRCODE = '42501';
  END IF;
  IF p_from IS NULL OR p_to IS NULL OR p_to < p_from OR p_to - p_from > 366 THEN
    RAISE EXCEPTION 'A range spans 1 to 367 days' USING ERRCODE = '22023';
  END IF;
  RETURN QUERY
    SELECT series.d::date, coalesce(counted.n, 0)::integer
    FROM generate_series(p_from::timestamp, p_to::timestamp, interval '1 day') AS series(d)
    LEFT JOIN (
      SELECT (m."createdAt" AT TIME ZONE 'UTC')::date AS d, count(*) AS n
      FROM public.messages m
      WHERE m."createdAt" >= (p_from::timestamp AT TIME ZONE 'UTC')
        AND m."createdAt" < ((p_to + 1)::timestamp AT TIME ZONE 'UTC')
        AND m.type <> 'system'
      GROUP BY 1
    ) counted ON counted.d = series.d::date
    ORDER BY 1;
END
$$;
--> statement-breakpoint

-- A user's ban reason and end, for site admins only. The columns are not granted to request
-- roles: chat partners can see a banned user's row, but never why they were banned.
CREATE OR REPLACE FUNCTION public.user_ban_details(target uuid)
RETURNS TABLE ("banReason" text, "banExpires" timestamptz)
LANGUAGE sql
STABLE
SECURITY DEFINER
SET search_path = ''
AS $$
  SELECT u."banReason", u."banExpires"
  FROM public."user" u
  WHERE u.id = target AND public.is_admin()
$$;
--> statement-breakpoint

-- When a user's newest session was last refreshed, for site admins only (sessions are
-- closed to request roles).
CREATE OR REPLACE FUNCTION public.user_last_active(target uuid)
RETURNS timestamptz
LANGUAGE sql
STABLE
SECURITY DEFINER
SET search_path = ''
AS $$
  SELECT max(s."updatedAt")
  FROM public."session" s
  WHERE s."userId" = target AND public.is_admin()
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION public.admin_message_counts(date, date), public.user_ban_details(uuid),
  public.user_last_active(uuid) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION public.admin_message_counts(date, date), public.user_ban_details(uuid),
  public.user_last_active(uuid) TO authenticated;
--> statement-breakpoint

-- The overview's per-day series and the users list's default order.
CREATE INDEX IF NOT EXISTS "idx_messages_created_at" ON public."messages" USING btree ("createdAt");
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "idx_user_created_at" ON public."user" USING btree ("createdAt");
