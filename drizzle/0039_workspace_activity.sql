-- A workspace's activity: who joined, left, was removed or invited, role changes and what
-- roles may do, as Better Auth's workspace calls recorded them in the audit log
-- (server/workspaces/workspace-audit.ts). Its owners and admins read it through this function,
-- which answers only those rows, only of the request's workspace.
CREATE INDEX IF NOT EXISTS idx_api_audit_logs_workspace
  ON public.api_audit_logs ((details ->> 'organizationId'), "createdAt" DESC, id DESC)
  WHERE method = 'AUTH' AND details ? 'organizationId';
--> statement-breakpoint
CREATE OR REPLACE FUNCTION public.workspace_activity(p_before timestamptz, p_before_id uuid, p_limit integer)
RETURNS TABLE(id uuid, "createdAt" timestamptz, action text, "actorId" uuid, "actorName" text,
              "targetUserId" uuid, "targetName" text, email text, role text, permissions jsonb,
              name text)
LANGUAGE sql
STABLE
SECURITY DEFINER
SET search_path = ''
AS $$
  SELECT a.id, a."createdAt", a.details ->> 'action', a."actorId", actor.name,
         target.id, target.name, a.details ->> 'email', a.details ->> 'role',
         a.details -> 'permissions', a.details ->> 'name'
  FROM public.api_audit_logs a
  LEFT JOIN public."user" actor ON actor.id = a."actorId"
  LEFT JOIN public."user" target
    ON target.id::text = a.details ->> 'targetUserId'
  WHERE public.workspace_role(public.get_current_tenant_id()) IN ('owner', 'admin')
    AND a.method = 'AUTH' AND a.details ? 'organizationId'
    AND a.details ->> 'organizationId' = public.get_current_tenant_id()::text
    AND a."statusCode" < 400
    AND (p_before IS NULL OR (a."createdAt", a.id) < (p_before, p_before_id))
  ORDER BY a.details ->> 'organizationId', a."createdAt" DESC, a.id DESC
  LIMIT least(greatest(p_limit, 1), 100)
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION public.workspace_activity(timestamptz, uuid, integer) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION public.workspace_activity(timestamptz, uuid, integer) TO authenticated;
