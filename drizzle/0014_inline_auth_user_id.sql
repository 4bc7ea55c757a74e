-- The caller's user id as an inlinable SQL function. A SECURITY DEFINER function, or one with
-- its own `SET search_path`, is never inlined: every `(SELECT public.get_auth_user_id())` in a
-- policy, and every call inside my_chat_ids() and the other helpers, set up a SQL function of
-- its own per statement, parsing and planning its body (20–100 µs each, several per statement).
-- Inlined, it is the expression itself. It reads only settings, so it needs no owner's rights;
-- every name in the body is schema-qualified, so the caller's search_path cannot redirect it.
CREATE OR REPLACE FUNCTION public.get_auth_user_id()
RETURNS uuid
LANGUAGE sql
STABLE
PARALLEL SAFE
AS $$
  SELECT CAST(coalesce(
    nullif(pg_catalog.current_setting('app.user_id', true), ''),
    CAST(nullif(pg_catalog.current_setting('request.jwt.claims', true), '') AS pg_catalog.json)
      OPERATOR(pg_catalog.->>) 'sub'
  ) AS pg_catalog.uuid)
$$;
