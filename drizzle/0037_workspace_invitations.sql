-- An invitation link says what it is before anyone signs in: the workspace, who invited,
-- the address it is for and whether it can still be accepted. Its id is the secret the
-- mail carried; nothing else about the workspace is told.
CREATE OR REPLACE FUNCTION public.invitation_preview(p_id uuid)
RETURNS TABLE("workspaceName" text, "inviterName" text, email text, role text, status text,
              "expiresAt" timestamptz)
LANGUAGE sql
STABLE
SECURITY DEFINER
SET search_path = ''
AS $$
  SELECT o.name, u.name, i.email, i.role,
         CASE WHEN i.status = 'pending' AND i."expiresAt" <= now() THEN 'expired' ELSE i.status END,
         i."expiresAt"
  FROM public.invitation i
  JOIN public.organization o ON o.id = i."organizationId"
  JOIN public."user" u ON u.id = i."inviterId"
  WHERE i.id = p_id
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION public.invitation_preview(uuid) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION public.invitation_preview(uuid) TO anon, authenticated;
--> statement-breakpoint
-- Someone who leaves a workspace or is removed from it loses its live channels at once: every
-- gateway instance hears this and closes them (server/realtime/gateway.ts).
CREATE OR REPLACE FUNCTION public.notify_member_left()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = ''
AS $$
BEGIN
  PERFORM pg_catalog.pg_notify(
    'parley_workspace_left',
    pg_catalog.json_build_object('userId', OLD."userId", 'organizationId', OLD."organizationId")::text
  );
  RETURN NULL;
END
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION public.notify_member_left() FROM PUBLIC;
--> statement-breakpoint
CREATE OR REPLACE TRIGGER member_left_realtime AFTER DELETE ON public.member
  FOR EACH ROW EXECUTE FUNCTION public.notify_member_left();
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
  me uuid := public.get_auth_user_id();
BEGIN
  -- Signed in and not banned (a ban past its expiry no longer counts).
  IF topic IS NULL OR NOT EXISTS (
    SELECT 1 FROM public."user" u
    WHERE u.id = me
      AND (u.banned IS NOT TRUE OR (u."banExpires" IS NOT NULL AND u."banExpires" <= now()))
  ) THEN
    RETURN false;
  END IF;
  -- Who is online is told per workspace: only in the workspace the token was minted in.
  IF topic ~ ('^presence:' || uuid_pattern || '$') THEN
    RETURN substr(topic, 10)::uuid = public.get_current_tenant_id();
  END IF;
  IF topic ~ ('^chat:' || uuid_pattern || '$') THEN
    RETURN EXISTS (
      SELECT 1 FROM public.chat_members m
      WHERE m."chatId" = substr(topic, 6)::uuid AND m."userId" = me
        AND m."organizationId" = public.get_current_tenant_id()
    );
  END IF;
  IF topic ~ ('^user:' || uuid_pattern || '$') THEN
    RETURN substr(topic, 6)::uuid = me;
  END IF;
  RETURN false;
END
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION public.realtime_can_send(topic text, extension text)
RETURNS boolean
LANGUAGE plpgsql
STABLE
SECURITY DEFINER
SET search_path = ''
AS $$
BEGIN
  IF (extension = 'presence' AND topic LIKE 'presence:%')
     OR (extension IN ('broadcast', 'presence') AND topic LIKE 'chat:%') THEN
    RETURN public.realtime_can_join(topic);
  END IF;
  RETURN false;
END
$$;
