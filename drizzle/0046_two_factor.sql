-- Two-factor authentication (Better Auth's two-factor plugin): a TOTP secret and encrypted
-- single-use backup codes per person. Only Better Auth (owner connection) reads or writes
-- them; request roles see neither the table nor user."twoFactorEnabled". Whether it is on is
-- answered to the person and to site admins by user_two_factor_enabled, and an admin turns it
-- off for a locked-out person through admin_reset_two_factor.

ALTER TABLE public."user" ADD COLUMN IF NOT EXISTS "twoFactorEnabled" boolean NOT NULL DEFAULT false;
--> statement-breakpoint
CREATE TABLE public.two_factor (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  "userId" uuid NOT NULL REFERENCES public."user"(id) ON DELETE CASCADE,
  secret text NOT NULL,
  "backupCodes" text NOT NULL,
  verified boolean NOT NULL DEFAULT true,
  "failedVerificationCount" integer NOT NULL DEFAULT 0,
  "lockedUntil" timestamptz,
  CONSTRAINT two_factor_one_per_user UNIQUE ("userId"),
  CONSTRAINT two_factor_failures_not_negative CHECK ("failedVerificationCount" >= 0)
);
--> statement-breakpoint
REVOKE ALL ON public.two_factor FROM anon, authenticated;
--> statement-breakpoint
ALTER TABLE public.two_factor ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint

-- A device trusted to skip the code is trusted for one enrolment: turning two-factor off (by
-- the person or an admin) or on again forgets every such device, so a browser trusted before
-- would not skip the code of a new authenticator.
CREATE OR REPLACE FUNCTION public.forget_trusted_devices()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = ''
AS $$
BEGIN
  DELETE FROM public.verification
    WHERE identifier LIKE 'trust-device-%' AND value = NEW.id::text;
  RETURN NEW;
END
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION public.forget_trusted_devices() FROM PUBLIC;
--> statement-breakpoint
CREATE TRIGGER user_two_factor_forgets_devices
  AFTER UPDATE OF "twoFactorEnabled" ON public."user"
  FOR EACH ROW
  WHEN (OLD."twoFactorEnabled" IS DISTINCT FROM NEW."twoFactorEnabled")
  EXECUTE FUNCTION public.forget_trusted_devices();
--> statement-breakpoint

-- Whether a person signs in with a second factor: for that person or a site admin.
CREATE OR REPLACE FUNCTION public.user_two_factor_enabled(target uuid)
RETURNS boolean
LANGUAGE sql
STABLE
SECURITY DEFINER
SET search_path = ''
AS $$
  SELECT u."twoFactorEnabled"
  FROM public."user" u
  WHERE u.id = target
    AND (target = public.get_auth_user_id() OR public.is_admin())
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION public.user_two_factor_enabled(uuid) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION public.user_two_factor_enabled(uuid) TO authenticated;
--> statement-breakpoint

-- A site admin turns two-factor off for someone who lost their authenticator and their
-- backup codes: the secret, the codes and (by the trigger above) every trusted device go. Not for
-- oneself (that is "turn off" with the password). Returns whether it was on; NULL when there
-- is no such user.
CREATE OR REPLACE FUNCTION public.admin_reset_two_factor(target uuid)
RETURNS boolean
LANGUAGE plpgsql
VOLATILE
SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
  was_on boolean;
BEGIN
  IF NOT public.is_admin() THEN
    RAISE EXCEPTION 'only a site admin may reset two-factor authentication'
      USING ERRCODE = '42501';
  END IF;
  IF target = public.get_auth_user_id() THEN
    RAISE EXCEPTION 'turn your own two-factor authentication off in your security settings'
      USING ERRCODE = '42501';
  END IF;
  SELECT u."twoFactorEnabled" INTO was_on FROM public."user" u WHERE u.id = target FOR UPDATE;
  IF NOT FOUND THEN
    RETURN NULL;
  END IF;
  DELETE FROM public.two_factor WHERE "userId" = target;
  -- user_two_factor_forgets_devices forgets the trusted devices.
  UPDATE public."user" SET "twoFactorEnabled" = false WHERE id = target AND "twoFactorEnabled";
  RETURN was_on;
END
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION public.admin_reset_two_factor(uuid) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION public.admin_reset_two_factor(uuid) TO authenticated;
