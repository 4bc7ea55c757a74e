-- API keys may carry `chats:write`: creating chats through REST v1.
ALTER TABLE public.api_keys DROP CONSTRAINT IF EXISTS api_keys_scopes_known;
--> statement-breakpoint
ALTER TABLE public.api_keys ADD CONSTRAINT api_keys_scopes_known CHECK (
  scopes <@ ARRAY['profile:read', 'metas:read', 'metas:write', 'chats:read', 'chats:write',
                  'messages:read', 'messages:write', 'audit:read']::text[]
);
