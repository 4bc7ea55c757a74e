import "server-only";

import { isUuid } from "@/contracts/uuid";

/**
 * Better Auth's workspace endpoints whose calls the workspace's owners and admins see on
 * Workspace → Activity (and the actor in their own audit log).
 */
export const WORKSPACE_AUDITED_PATHS: ReadonlySet<string> = new Set([
  "/organization/create",
  "/organization/update",
  "/organization/invite-member",
  "/organization/cancel-invitation",
  "/organization/accept-invitation",
  "/organization/reject-invitation",
  "/organization/remove-member",
  "/organization/update-member-role",
  "/organization/leave",
  "/organization/update-role",
  "/organization/create-role",
  "/organization/delete-role",
]);

interface WorkspaceCall {
  path: string;
  body?: unknown;
  context: {
    returned?: unknown;
    session?: { session: { activeOrganizationId?: string | null } } | null;
  };
}

const record = (value: unknown): Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};

const uuidOrNull = (value: unknown) => (typeof value === "string" && isUuid(value) ? value : null);
const textOrNull = (value: unknown) => (typeof value === "string" ? value : null);

/**
 * What a workspace action did, from its request and Better Auth's answer: which workspace,
 * to whom (a member's user, an invited address), with which role or permissions. Ids only
 * where they are ids; never anything but these fields.
 */
export function workspaceActionDetails(call: WorkspaceCall): Record<string, unknown> {
  const body = record(call.body);
  const returned = record(call.context.returned);
  // A member comes back as `member`, or as the answer itself (a role change, leaving).
  const member = record(returned.member ?? ("userId" in returned ? returned : null));
  const invitation = record(
    returned.invitation ??
      (call.path === "/organization/invite-member" ||
      call.path === "/organization/cancel-invitation"
        ? returned
        : null),
  );
  const roleData = record(returned.roleData);
  const organizationId =
    uuidOrNull(member.organizationId) ??
    uuidOrNull(invitation.organizationId) ??
    uuidOrNull(roleData.organizationId) ??
    (call.path === "/organization/create" || call.path === "/organization/update"
      ? uuidOrNull(returned.id)
      : null) ??
    uuidOrNull(body.organizationId) ??
    uuidOrNull(call.context.session?.session.activeOrganizationId);
  const details: Record<string, unknown> = { organizationId };
  const targetUserId = uuidOrNull(member.userId);
  if (targetUserId) details.targetUserId = targetUserId;
  const email = textOrNull(invitation.email) ?? textOrNull(body.email);
  if (email && call.path.includes("invit")) details.email = email;
  const role =
    textOrNull(body.role) ?? textOrNull(invitation.role) ?? textOrNull(body.roleName) ?? null;
  if (role && !call.path.endsWith("/leave")) details.role = role;
  if (call.path === "/organization/update-role" || call.path === "/organization/create-role") {
    const permission = record(body.permission ?? record(body.data).permission);
    if (Array.isArray(permission.chat)) {
      details.permissions = permission.chat.filter((a): a is string => typeof a === "string");
    }
  }
  if (call.path === "/organization/create" || call.path === "/organization/update") {
    const name = textOrNull(returned.name);
    if (name) details.name = name;
  }
  return details;
}
