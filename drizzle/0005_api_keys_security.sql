-- API keys: verification before anyone is signed in, usage stamps, per-key rate limits and
-- admin revocation.

-- Per-key limits are chosen at creation; only the stamps below change lastUsed.
GRANT INSERT ("rateLimit") ON public."api_keys" TO authenticated;
--> statement-breakpoint
GRANT SELECT ("rateLimit") ON public."api_keys" TO authenticated;
--> statement-breakpoint

-- Site admins revoke anyone's key (the admin area); owners keep their own policy.
CREATE POLICY api_keys_update_admin ON public."api_keys" FOR UPDATE TO authenticated
  USING ((SELECT public.is_admin()))
  WITH CHECK ((SELECT public.is_admin()));
--> statement-breakpoint

-- The key row for a public id, for REST v1 authentication. Runs before there is a user (as
-- anon), so it is SECURITY DEFINER and returns only what verification needs. The caller
-- compares the hash in constant time; the secret itself is never stored anywhere.
CREATE OR REPLACE FUNCTION public.find_api_key(p_prefix text)
RETURNS TABLE (
  id uuid,
  "userId" uuid,
  key text,
  scopes text[],
  "rateLimit" integer,
  revoked boolean,
  "expiresAt" timestamptz,
  "ownerBanned" boolean
)
LANGUAGE sql
STABLE
SECURITY DEFINER
SET search_path = ''
AS $$
  SELECT k.id, k."userId", k.key, k.scopes, k."rateLimit", k.revoked, k."expiresAt",
    (u.banned AND (u."banExpires" IS NULL OR u."banExpires" > now())) AS "ownerBanned"
  FROM public.api_keys k
  JOIN public."user" u ON u.id = k."userId"
  WHERE k.prefix = p_prefix
$$;
--> statement-breakpoint
-- Stamps lastUsed at most once a minute, and only for a caller holding the key (its hash).
CREATE OR REPLACE FUNCTION public.touch_api_key(p_id uuid, p_hash text)
RETURNS void
LANGUAGE sql
SECURITY DEFINER
SET search_path = ''
AS $$
  UPDATE public.api_keys
  SET "lastUsed" = now()
  WHERE id = p_id AND key = p_hash
    AND ("lastUsed" IS NULL OR "lastUsed" < now() - interval '1 minute')
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION public.find_api_key(text), public.touch_api_key(uuid, text) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION public.find_api_key(text), public.touch_api_key(uuid, text) TO anon, authenticated;
