-- Realtime tokens name the session they were minted for (`sid`). A channel is joined only
-- while that session is live, and every instance hears the moment a session ends (sign-out,
-- a revoked session, a ban, a password change or reset: Better Auth deletes the row) and
-- closes the channels that used it.
CREATE OR REPLACE FUNCTION public.session_is_live(p_session uuid)
 RETURNS boolean
 LANGUAGE sql
 STABLE SECURITY DEFINER
 SET search_path TO ''
AS $function$
  SELECT EXISTS (
    SELECT 1 FROM public.session s
    WHERE s.id = p_session
      AND s."userId" = public.get_auth_user_id()
      AND s."expiresAt" > now()
  )
$function$;--> statement-breakpoint
REVOKE EXECUTE ON FUNCTION public.session_is_live(uuid) FROM PUBLIC;--> statement-breakpoint
GRANT EXECUTE ON FUNCTION public.session_is_live(uuid) TO authenticated;--> statement-breakpoint

CREATE OR REPLACE FUNCTION public.notify_session_ended()
 RETURNS trigger
 LANGUAGE plpgsql
 SET search_path TO ''
AS $function$
BEGIN
  PERFORM pg_catalog.pg_notify('parley_sessions_ended', OLD.id::text);
  RETURN NULL;
END
$function$;--> statement-breakpoint
REVOKE EXECUTE ON FUNCTION public.notify_session_ended() FROM PUBLIC;--> statement-breakpoint

CREATE TRIGGER session_ended
AFTER DELETE ON public.session
FOR EACH ROW EXECUTE FUNCTION public.notify_session_ended();
