-- Passkeys (WebAuthn, Better Auth's passkey plugin): a person's public-key credentials.
-- Only Better Auth (owner connection) reads or writes them; request roles have no access.
-- The name a person gives a passkey is bounded here as in the app.

CREATE TABLE public.passkey (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  "userId" uuid NOT NULL REFERENCES public."user"(id) ON DELETE CASCADE,
  name text,
  "publicKey" text NOT NULL,
  "credentialID" text NOT NULL,
  counter bigint NOT NULL DEFAULT 0,
  "deviceType" text NOT NULL,
  "backedUp" boolean NOT NULL,
  transports text,
  aaguid text,
  "createdAt" timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT passkey_credential_once UNIQUE ("credentialID"),
  CONSTRAINT passkey_name_length CHECK (name IS NULL OR char_length(name) <= 60),
  CONSTRAINT passkey_counter_not_negative CHECK (counter >= 0)
);
--> statement-breakpoint
CREATE INDEX idx_passkey_user_id ON public.passkey ("userId");
--> statement-breakpoint
REVOKE ALL ON public.passkey FROM anon, authenticated;
--> statement-breakpoint
ALTER TABLE public.passkey ENABLE ROW LEVEL SECURITY;
