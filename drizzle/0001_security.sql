-- Roles, helper functions, triggers, grants and Row-Level Security for the foundation tables.
-- Runs on PGlite, PostgreSQL 15+ and Supabase (where anon/authenticated already exist and
-- new tables get broad default grants, which is why every table starts with REVOKE ALL).

DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'anon') THEN
    CREATE ROLE anon NOLOGIN NOINHERIT;
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'authenticated') THEN
    CREATE ROLE authenticated NOLOGIN NOINHERIT;
  END IF;
  -- withRls switches to these roles with set_config('role', …): the connecting owner must be
  -- a member (a superuser already is; Supabase's postgres user already is).
  IF NOT pg_has_role(current_user, 'anon', 'MEMBER') THEN
    EXECUTE format('GRANT anon TO %I', current_user);
  END IF;
  IF NOT pg_has_role(current_user, 'authenticated', 'MEMBER') THEN
    EXECUTE format('GRANT authenticated TO %I', current_user);
  END IF;
END
$$;
--> statement-breakpoint
GRANT USAGE ON SCHEMA public TO anon, authenticated;
--> statement-breakpoint

-- The caller's user id: SET LOCAL app.user_id (tRPC, REST v1) or the JWT `sub` claim
-- (Supabase Realtime), so one set of policies serves every path.
CREATE OR REPLACE FUNCTION public.get_auth_user_id()
RETURNS uuid
LANGUAGE sql
STABLE
SECURITY DEFINER
SET search_path = ''
AS $$
  SELECT coalesce(
    nullif(current_setting('app.user_id', true), ''),
    nullif(current_setting('request.jwt.claims', true), '')::json ->> 'sub'
  )::uuid
$$;
--> statement-breakpoint

-- True when the caller is a site admin whose ban (if any) has expired.
CREATE OR REPLACE FUNCTION public.is_admin()
RETURNS boolean
LANGUAGE sql
STABLE
SECURITY DEFINER
SET search_path = ''
AS $$
  SELECT EXISTS (
    SELECT 1
    FROM public."user" u
    WHERE u.id = public.get_auth_user_id()
      AND 'admin' = ANY (string_to_array(u.role, ','))
      AND (u.banned = false OR (u."banExpires" IS NOT NULL AND u."banExpires" < now()))
  )
$$;
--> statement-breakpoint

-- A user's email, for that user or a site admin only. `user.email` itself is not granted to
-- any request role, so this is the one door to it.
CREATE OR REPLACE FUNCTION public.user_email(target uuid)
RETURNS text
LANGUAGE sql
STABLE
SECURITY DEFINER
SET search_path = ''
AS $$
  SELECT u.email
  FROM public."user" u
  WHERE u.id = target
    AND (target = public.get_auth_user_id() OR public.is_admin())
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION public.get_auth_user_id() FROM PUBLIC;
--> statement-breakpoint
REVOKE ALL ON FUNCTION public.is_admin() FROM PUBLIC;
--> statement-breakpoint
REVOKE ALL ON FUNCTION public.user_email(uuid) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION public.get_auth_user_id() TO anon, authenticated;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION public.is_admin() TO anon, authenticated;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION public.user_email(uuid) TO authenticated;
--> statement-breakpoint

CREATE OR REPLACE FUNCTION public.update_updated_at_column()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = ''
AS $$
BEGIN
  NEW."updatedAt" = now();
  RETURN NEW;
END
$$;
--> statement-breakpoint
-- Drizzle names every column in an INSERT (DEFAULT for the ones not given), so request roles
-- hold INSERT on "createdAt"/"updatedAt"; this trigger makes sure the server's clock wins.
CREATE OR REPLACE FUNCTION public.set_created_timestamps()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = ''
AS $$
BEGIN
  NEW."createdAt" = now();
  NEW."updatedAt" = now();
  RETURN NEW;
END
$$;
--> statement-breakpoint
CREATE OR REPLACE TRIGGER set_user_metas_created_timestamps BEFORE INSERT ON public."user_metas"
  FOR EACH ROW EXECUTE FUNCTION public.set_created_timestamps();
--> statement-breakpoint
CREATE OR REPLACE TRIGGER set_api_keys_created_timestamps BEFORE INSERT ON public."api_keys"
  FOR EACH ROW EXECUTE FUNCTION public.set_created_timestamps();
--> statement-breakpoint
CREATE OR REPLACE TRIGGER update_user_updated_at BEFORE UPDATE ON public."user"
  FOR EACH ROW EXECUTE FUNCTION public.update_updated_at_column();
--> statement-breakpoint
CREATE OR REPLACE TRIGGER update_session_updated_at BEFORE UPDATE ON public."session"
  FOR EACH ROW EXECUTE FUNCTION public.update_updated_at_column();
--> statement-breakpoint
CREATE OR REPLACE TRIGGER update_account_updated_at BEFORE UPDATE ON public."account"
  FOR EACH ROW EXECUTE FUNCTION public.update_updated_at_column();
--> statement-breakpoint
CREATE OR REPLACE TRIGGER update_verification_updated_at BEFORE UPDATE ON public."verification"
  FOR EACH ROW EXECUTE FUNCTION public.update_updated_at_column();
--> statement-breakpoint
CREATE OR REPLACE TRIGGER update_user_metas_updated_at BEFORE UPDATE ON public."user_metas"
  FOR EACH ROW EXECUTE FUNCTION public.update_updated_at_column();
--> statement-breakpoint
CREATE OR REPLACE TRIGGER update_api_keys_updated_at BEFORE UPDATE ON public."api_keys"
  FOR EACH ROW EXECUTE FUNCTION public.update_updated_at_column();
--> statement-breakpoint

-- Better Auth tables: RLS on, no policies, no grants. Only Better Auth (owner connection)
-- touches sessions, accounts and verifications.
REVOKE ALL ON public."session", public."account", public."verification" FROM anon, authenticated;
--> statement-breakpoint
ALTER TABLE public."session" ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE public."account" ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE public."verification" ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint

-- user: signed-in users see the directory (non-banned users) and themselves; admins see all.
-- Columns: never email (see user_email), never the ban reason. Updates: own name and image.
REVOKE ALL ON public."user" FROM anon, authenticated;
--> statement-breakpoint
ALTER TABLE public."user" ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
GRANT SELECT (id, name, image, role, banned, "createdAt", "updatedAt") ON public."user" TO authenticated;
--> statement-breakpoint
GRANT UPDATE (name, image) ON public."user" TO authenticated;
--> statement-breakpoint
CREATE POLICY user_select_self ON public."user" FOR SELECT TO authenticated
  USING (id = (SELECT public.get_auth_user_id()));
--> statement-breakpoint
CREATE POLICY user_select_directory ON public."user" FOR SELECT TO authenticated
  USING (banned = false);
--> statement-breakpoint
CREATE POLICY user_select_admin ON public."user" FOR SELECT TO authenticated
  USING ((SELECT public.is_admin()));
--> statement-breakpoint
CREATE POLICY user_update_self ON public."user" FOR UPDATE TO authenticated
  USING (id = (SELECT public.get_auth_user_id()))
  WITH CHECK (id = (SELECT public.get_auth_user_id()));
--> statement-breakpoint

-- user_metas: owners read and write their own; public metas are readable by any signed-in
-- user; admins read all. The owner and key of a meta never change after insert.
REVOKE ALL ON public."user_metas" FROM anon, authenticated;
--> statement-breakpoint
ALTER TABLE public."user_metas" ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
GRANT SELECT, DELETE ON public."user_metas" TO authenticated;
--> statement-breakpoint
GRANT INSERT (id, "userId", "metaKey", "metaValue", "dataType", "isPublic", "isSearchable", "createdAt", "updatedAt")
  ON public."user_metas" TO authenticated;
--> statement-breakpoint
GRANT UPDATE ("metaValue", "dataType", "isPublic", "isSearchable") ON public."user_metas" TO authenticated;
--> statement-breakpoint
CREATE POLICY user_metas_select_own ON public."user_metas" FOR SELECT TO authenticated
  USING ("userId" = (SELECT public.get_auth_user_id()));
--> statement-breakpoint
CREATE POLICY user_metas_select_public ON public."user_metas" FOR SELECT TO authenticated
  USING ("isPublic" = true);
--> statement-breakpoint
CREATE POLICY user_metas_select_admin ON public."user_metas" FOR SELECT TO authenticated
  USING ((SELECT public.is_admin()));
--> statement-breakpoint
CREATE POLICY user_metas_insert_own ON public."user_metas" FOR INSERT TO authenticated
  WITH CHECK ("userId" = (SELECT public.get_auth_user_id()));
--> statement-breakpoint
CREATE POLICY user_metas_update_own ON public."user_metas" FOR UPDATE TO authenticated
  USING ("userId" = (SELECT public.get_auth_user_id()))
  WITH CHECK ("userId" = (SELECT public.get_auth_user_id()));
--> statement-breakpoint
CREATE POLICY user_metas_delete_own ON public."user_metas" FOR DELETE TO authenticated
  USING ("userId" = (SELECT public.get_auth_user_id()));
--> statement-breakpoint

-- api_keys: owners manage their own; admins read all. The stored hash (`key`) is never
-- readable by a request role: verification goes through a SECURITY DEFINER function.
REVOKE ALL ON public."api_keys" FROM anon, authenticated;
--> statement-breakpoint
ALTER TABLE public."api_keys" ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
GRANT SELECT (id, "userId", name, prefix, scopes, "lastUsed", "expiresAt", revoked, "revokedAt", "createdAt", "updatedAt")
  ON public."api_keys" TO authenticated;
--> statement-breakpoint
GRANT INSERT (id, "userId", name, key, prefix, scopes, "lastUsed", "expiresAt", revoked, "revokedAt", "createdAt", "updatedAt") ON public."api_keys" TO authenticated;
--> statement-breakpoint
GRANT UPDATE (name, revoked, "revokedAt", "expiresAt") ON public."api_keys" TO authenticated;
--> statement-breakpoint
GRANT DELETE ON public."api_keys" TO authenticated;
--> statement-breakpoint
CREATE POLICY api_keys_select_own ON public."api_keys" FOR SELECT TO authenticated
  USING ("userId" = (SELECT public.get_auth_user_id()));
--> statement-breakpoint
CREATE POLICY api_keys_select_admin ON public."api_keys" FOR SELECT TO authenticated
  USING ((SELECT public.is_admin()));
--> statement-breakpoint
CREATE POLICY api_keys_insert_own ON public."api_keys" FOR INSERT TO authenticated
  WITH CHECK ("userId" = (SELECT public.get_auth_user_id()));
--> statement-breakpoint
CREATE POLICY api_keys_update_own ON public."api_keys" FOR UPDATE TO authenticated
  USING ("userId" = (SELECT public.get_auth_user_id()))
  WITH CHECK ("userId" = (SELECT public.get_auth_user_id()));
--> statement-breakpoint
CREATE POLICY api_keys_delete_own ON public."api_keys" FOR DELETE TO authenticated
  USING ("userId" = (SELECT public.get_auth_user_id()));
--> statement-breakpoint

-- api_audit_logs: read-only for request roles (own rows; admins all). Rows are written by
-- the audit flush job on the owner connection, so nobody can forge or erase their trail.
REVOKE ALL ON public."api_audit_logs" FROM anon, authenticated;
--> statement-breakpoint
ALTER TABLE public."api_audit_logs" ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
GRANT SELECT ON public."api_audit_logs" TO authenticated;
--> statement-breakpoint
CREATE POLICY api_audit_logs_select_own ON public."api_audit_logs" FOR SELECT TO authenticated
  USING ("userId" = (SELECT public.get_auth_user_id()));
--> statement-breakpoint
CREATE POLICY api_audit_logs_select_admin ON public."api_audit_logs" FOR SELECT TO authenticated
  USING ((SELECT public.is_admin()));
