-- Workspaces: Better Auth's organization plugin keeps its own tables (`organization`,
-- `member`, `invitation`, and the active one on `session`); the UI calls them workspaces.
-- Everyone belongs to at least one: signing up makes a workspace of one's own, and an
-- upgraded deployment puts all of its people and chats in one workspace, so it keeps working.
CREATE TABLE IF NOT EXISTS public.organization (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name text NOT NULL,
  slug text NOT NULL,
  logo text,
  metadata text,
  "createdAt" timestamptz DEFAULT now() NOT NULL,
  CONSTRAINT organization_slug_unique UNIQUE (slug),
  CONSTRAINT organization_name_length CHECK (char_length(btrim(name)) BETWEEN 1 AND 80),
  CONSTRAINT organization_slug_format CHECK (slug ~ '^[a-z0-9]([a-z0-9-]{0,46}[a-z0-9])?$'),
  -- Parley has no workspace logos yet: nothing may point a member's browser anywhere.
  CONSTRAINT organization_no_logo CHECK (logo IS NULL),
  CONSTRAINT organization_metadata_length CHECK (metadata IS NULL OR octet_length(metadata) <= 4096)
);
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS public.member (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  "organizationId" uuid NOT NULL REFERENCES public.organization(id) ON DELETE CASCADE,
  "userId" uuid NOT NULL REFERENCES public."user"(id) ON DELETE CASCADE,
  role text DEFAULT 'member' NOT NULL,
  "createdAt" timestamptz DEFAULT now() NOT NULL,
  CONSTRAINT member_once UNIQUE ("organizationId", "userId"),
  CONSTRAINT member_role CHECK (role IN ('owner', 'admin', 'member', 'guest'))
);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS idx_member_user_id ON public.member ("userId");
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS public.invitation (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  "organizationId" uuid NOT NULL REFERENCES public.organization(id) ON DELETE CASCADE,
  email text NOT NULL,
  role text DEFAULT 'member' NOT NULL,
  status text DEFAULT 'pending' NOT NULL,
  "expiresAt" timestamptz NOT NULL,
  "inviterId" uuid NOT NULL REFERENCES public."user"(id) ON DELETE CASCADE,
  "createdAt" timestamptz DEFAULT now() NOT NULL,
  CONSTRAINT invitation_role CHECK (role IN ('owner', 'admin', 'member', 'guest')),
  CONSTRAINT invitation_status CHECK (status IN ('pending', 'accepted', 'rejected', 'canceled')),
  CONSTRAINT invitation_email_length CHECK (char_length(email) BETWEEN 3 AND 254)
);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS idx_invitation_organization_id ON public.invitation ("organizationId");
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS idx_invitation_email ON public.invitation (lower(email));
--> statement-breakpoint
ALTER TABLE public.session
  ADD COLUMN IF NOT EXISTS "activeOrganizationId" uuid REFERENCES public.organization(id) ON DELETE SET NULL;
--> statement-breakpoint
ALTER TABLE public.organization ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE public.member ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE public.invitation ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
REVOKE ALL ON public.organization, public.member, public.invitation FROM PUBLIC, anon, authenticated;
--> statement-breakpoint
-- The workspaces the caller belongs to, read once per statement (like my_chat_ids()).
CREATE OR REPLACE FUNCTION public.my_workspace_ids()
RETURNS SETOF uuid
LANGUAGE sql
STABLE
SECURITY DEFINER
SET search_path = ''
ROWS 4
AS $$
  SELECT m."organizationId" FROM public.member m WHERE m."userId" = public.get_auth_user_id()
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION public.my_workspace_ids() FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION public.my_workspace_ids() TO authenticated;
--> statement-breakpoint
-- A realtime token's workspace (`org` in its claims, as hosted Supabase sets them), and only
-- while the token's user is a member of it.
CREATE OR REPLACE FUNCTION public.claimed_tenant_id()
RETURNS uuid
LANGUAGE sql
STABLE
SECURITY DEFINER
SET search_path = ''
AS $$
  SELECT m."organizationId"
  FROM public.member m
  WHERE m."userId" = public.get_auth_user_id()
    AND m."organizationId" =
      (nullif(current_setting('request.jwt.claims', true), '')::json ->> 'org')::uuid
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION public.claimed_tenant_id() FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION public.claimed_tenant_id() TO authenticated;
--> statement-breakpoint
-- The workspace this request runs in: `app.org_id`, which withRls (and REST v1's key check)
-- sets in the transaction's first statement only after finding the user a member of it, or
-- else a token's claimed workspace. Anything else, a workspace left or never joined, is no
-- workspace at all. Inlinable, like get_auth_user_id() (0014): the chat policies ask it in
-- every membership set, and the membership check is made once per transaction, not per call.
CREATE OR REPLACE FUNCTION public.get_current_tenant_id()
RETURNS uuid
LANGUAGE sql
STABLE
PARALLEL SAFE
AS $$
  SELECT coalesce(
    CAST(nullif(pg_catalog.current_setting('app.org_id', true), '') AS pg_catalog.uuid),
    public.claimed_tenant_id()
  )
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION public.get_current_tenant_id() FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION public.get_current_tenant_id() TO authenticated;
--> statement-breakpoint
-- The caller's role in a workspace, or null when they are not in it.
CREATE OR REPLACE FUNCTION public.workspace_role(workspace uuid)
RETURNS text
LANGUAGE sql
STABLE
SECURITY DEFINER
SET search_path = ''
AS $$
  SELECT m.role FROM public.member m
  WHERE m."organizationId" = workspace AND m."userId" = public.get_auth_user_id()
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION public.workspace_role(uuid) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION public.workspace_role(uuid) TO authenticated;
--> statement-breakpoint
-- Members see their workspaces and who else is in them; owners and admins see the
-- invitations of theirs. Every change goes through Better Auth on the owner connection.
GRANT SELECT ON public.organization, public.member, public.invitation TO authenticated;
--> statement-breakpoint
CREATE POLICY organization_select_member ON public.organization FOR SELECT TO authenticated
  USING (id IN (SELECT public.my_workspace_ids()));
--> statement-breakpoint
CREATE POLICY member_select_fellow ON public.member FOR SELECT TO authenticated
  USING ("organizationId" IN (SELECT public.my_workspace_ids()));
--> statement-breakpoint
CREATE POLICY invitation_select_workspace_admin ON public.invitation FOR SELECT TO authenticated
  USING (public.workspace_role("organizationId") IN ('owner', 'admin'));
--> statement-breakpoint
-- A slug from a name: lower-case words joined by hyphens, with a suffix from `salt` so two
-- workspaces of the same name never collide.
CREATE OR REPLACE FUNCTION public.workspace_slug(name text, salt uuid)
RETURNS text
LANGUAGE sql
IMMUTABLE
SET search_path = ''
AS $$
  SELECT concat_ws('-',
    nullif(btrim(left(regexp_replace(lower(name), '[^a-z0-9]+', '-', 'g'), 32), '-'), ''),
    left(replace(salt::text, '-', ''), 8))
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION public.workspace_slug(text, uuid) FROM PUBLIC;
--> statement-breakpoint
-- Every account starts with a workspace of its own, made with it in the same transaction
-- whichever way it was made (sign-up, an admin, a seed), and owned by it.
CREATE OR REPLACE FUNCTION public.user_personal_workspace()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
  workspace uuid := gen_random_uuid();
BEGIN
  INSERT INTO public.organization (id, name, slug)
    VALUES (workspace, left(btrim(NEW.name), 60) || '''s workspace', public.workspace_slug(NEW.name, workspace));
  INSERT INTO public.member ("organizationId", "userId", role) VALUES (workspace, NEW.id, 'owner');
  RETURN NEW;
END
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION public.user_personal_workspace() FROM PUBLIC;
--> statement-breakpoint
CREATE OR REPLACE TRIGGER user_personal_workspace AFTER INSERT ON public."user"
  FOR EACH ROW EXECUTE FUNCTION public.user_personal_workspace();
--> statement-breakpoint
-- A session is always in one of its user's workspaces. One made without one, one told to
-- leave its workspace (Better Auth clears it after its user leaves), and one whose user is no
-- longer a member of it, go to the workspace the user was last active in on another session,
-- or else to the one they joined first.
CREATE OR REPLACE FUNCTION public.session_keeps_a_workspace()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = ''
AS $$
BEGIN
  IF NEW."activeOrganizationId" IS NOT NULL AND EXISTS (
    SELECT 1 FROM public.member m
    WHERE m."userId" = NEW."userId" AND m."organizationId" = NEW."activeOrganizationId"
  ) THEN
    RETURN NEW;
  END IF;
  SELECT m."organizationId" INTO NEW."activeOrganizationId"
  FROM public.member m
  LEFT JOIN LATERAL (
    SELECT max(s."updatedAt") AS used FROM public.session s
    WHERE s."userId" = m."userId" AND s."activeOrganizationId" = m."organizationId"
      AND s.id <> NEW.id
  ) last ON true
  WHERE m."userId" = NEW."userId"
  ORDER BY last.used DESC NULLS LAST, m."createdAt", m."organizationId"
  LIMIT 1;
  RETURN NEW;
END
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION public.session_keeps_a_workspace() FROM PUBLIC;
--> statement-breakpoint
CREATE OR REPLACE TRIGGER session_keeps_a_workspace
  BEFORE INSERT OR UPDATE OF "activeOrganizationId" ON public.session
  FOR EACH ROW EXECUTE FUNCTION public.session_keeps_a_workspace();
--> statement-breakpoint
-- Leaving a workspace, or being removed from it, moves the sessions that were in it.
CREATE OR REPLACE FUNCTION public.member_left_sessions()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = ''
AS $$
BEGIN
  UPDATE public.session SET "activeOrganizationId" = NULL
  WHERE "userId" = OLD."userId" AND "activeOrganizationId" = OLD."organizationId";
  RETURN NULL;
END
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION public.member_left_sessions() FROM PUBLIC;
--> statement-breakpoint
CREATE OR REPLACE TRIGGER member_left_sessions AFTER DELETE ON public.member
  FOR EACH ROW EXECUTE FUNCTION public.member_left_sessions();
--> statement-breakpoint
-- An upgraded deployment: one workspace with everyone in it (site admins as its admins, the
-- earliest of them its owner), every session in it.
DO $$
DECLARE
  workspace uuid := gen_random_uuid();
BEGIN
  IF NOT EXISTS (SELECT 1 FROM public."user") THEN
    RETURN;
  END IF;
  INSERT INTO public.organization (id, name, slug) VALUES (workspace, 'Parley', public.workspace_slug('Parley', workspace));
  INSERT INTO public.member ("organizationId", "userId", role, "createdAt")
    SELECT workspace, u.id,
      CASE
        WHEN row_number() OVER (ORDER BY (u.role = 'admin') DESC, u."createdAt", u.id) = 1 THEN 'owner'
        WHEN u.role = 'admin' THEN 'admin'
        ELSE 'member'
      END,
      u."createdAt"
    FROM public."user" u;
  UPDATE public.session SET "activeOrganizationId" = workspace;
END
$$;
