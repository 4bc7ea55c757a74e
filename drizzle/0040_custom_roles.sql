-- Roles of a workspace's own, beside its four templates: a name (lower-case letters, digits
-- and hyphens) and what it may do in chats, made and removed by its owners and admins through
-- Better Auth's dynamic access control. A member or an invitation holds a role the workspace
-- has; the templates stay, and so does a role someone still holds.
ALTER TABLE public.organization_role DROP CONSTRAINT organization_role_name;
--> statement-breakpoint
ALTER TABLE public.organization_role ADD CONSTRAINT organization_role_name
  CHECK (role ~ '^[a-z][a-z0-9-]{0,31}$');
--> statement-breakpoint
ALTER TABLE public.member DROP CONSTRAINT member_role;
--> statement-breakpoint
ALTER TABLE public.invitation DROP CONSTRAINT invitation_role;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION public.workspace_role_exists()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = ''
AS $$
BEGIN
  IF NOT EXISTS (
    SELECT 1 FROM public.organization_role r
    WHERE r."organizationId" = NEW."organizationId" AND r.role = NEW.role
  ) THEN
    RAISE EXCEPTION 'No role "%" in this workspace', NEW.role USING ERRCODE = '23514';
  END IF;
  RETURN NEW;
END
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION public.workspace_role_exists() FROM PUBLIC;
--> statement-breakpoint
CREATE OR REPLACE TRIGGER member_role_exists BEFORE INSERT OR UPDATE OF role, "organizationId"
  ON public.member FOR EACH ROW EXECUTE FUNCTION public.workspace_role_exists();
--> statement-breakpoint
CREATE OR REPLACE TRIGGER invitation_role_exists BEFORE INSERT OR UPDATE OF role, "organizationId"
  ON public.invitation FOR EACH ROW EXECUTE FUNCTION public.workspace_role_exists();
--> statement-breakpoint
-- The templates are every workspace's, and a role someone holds (or is invited to) stays.
CREATE OR REPLACE FUNCTION public.organization_role_keep()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = ''
AS $$
BEGIN
  -- A workspace going away takes its roles with it.
  IF NOT EXISTS (SELECT 1 FROM public.organization o WHERE o.id = OLD."organizationId") THEN
    RETURN OLD;
  END IF;
  IF OLD.role IN ('owner', 'admin', 'member', 'guest') THEN
    RAISE EXCEPTION 'The % role is every workspace''s', OLD.role USING ERRCODE = '23514';
  END IF;
  IF EXISTS (SELECT 1 FROM public.member m
             WHERE m."organizationId" = OLD."organizationId" AND m.role = OLD.role)
     OR EXISTS (SELECT 1 FROM public.invitation i
                WHERE i."organizationId" = OLD."organizationId" AND i.role = OLD.role
                  AND i.status = 'pending') THEN
    RAISE EXCEPTION 'Someone still has the % role', OLD.role USING ERRCODE = '23514';
  END IF;
  RETURN OLD;
END
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION public.organization_role_keep() FROM PUBLIC;
--> statement-breakpoint
CREATE OR REPLACE TRIGGER organization_role_keep BEFORE DELETE ON public.organization_role
  FOR EACH ROW EXECUTE FUNCTION public.organization_role_keep();
