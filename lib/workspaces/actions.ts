import { authClient } from "@/lib/auth-client";
import { chatAction, type ChatPermission } from "@/contracts/permissions";
import type { InviteInput } from "@/contracts/workspaces";
import { slugFor } from "./slug";

/**
 * Workspace changes, through Better Auth's organization endpoints (which Parley checks in
 * server/workspaces/workspace-rules.ts). Each throws an Error with the server's message, so
 * forms and confirm dialogs show it as they show a tRPC error.
 */
async function settle<T>(call: Promise<{ data: T | null; error: { message?: string } | null }>) {
  const { data, error } = await call;
  if (error) throw new Error(error.message || "That did not work. Try again.");
  return data;
}

export const switchWorkspace = (organizationId: string) =>
  settle(authClient.organization.setActive({ organizationId }));

/** Creates a workspace (its creator its owner) and moves the session into it. */
export const createWorkspace = (name: string) =>
  settle(authClient.organization.create({ name: name.trim(), slug: slugFor(name) }));

export const renameWorkspace = (organizationId: string, name: string) =>
  settle(authClient.organization.update({ organizationId, data: { name: name.trim() } }));

export const inviteToWorkspace = (organizationId: string, input: InviteInput) =>
  settle(authClient.organization.inviteMember({ organizationId, ...input }));

/** Sends the mail again, and the link lasts as long as a new one would. */
export const resendInvitation = (organizationId: string, email: string, role: string) =>
  settle(authClient.organization.inviteMember({ organizationId, email, role, resend: true }));

export const revokeInvitation = (invitationId: string) =>
  settle(authClient.organization.cancelInvitation({ invitationId }));

export const acceptInvitation = (invitationId: string) =>
  settle(authClient.organization.acceptInvitation({ invitationId }));

export const declineInvitation = (invitationId: string) =>
  settle(authClient.organization.rejectInvitation({ invitationId }));

export const removeFromWorkspace = (organizationId: string, memberId: string) =>
  settle(authClient.organization.removeMember({ organizationId, memberIdOrEmail: memberId }));

export const changeMemberRole = (organizationId: string, memberId: string, role: string) =>
  settle(authClient.organization.updateMemberRole({ organizationId, memberId, role }));

export const leaveWorkspace = (organizationId: string) =>
  settle(authClient.organization.leave({ organizationId }));

/** Sets what a role may do in chats (`chat.*` permissions), for the whole workspace. */
export const setRolePermissions = (
  organizationId: string,
  role: string,
  permissions: readonly ChatPermission[],
) =>
  settle(
    authClient.organization.updateRole({
      organizationId,
      roleName: role,
      data: { permission: { chat: permissions.map(chatAction) } },
    }),
  );

/** A role of the workspace's own, starting with the given chat permissions. */
export const createRole = (
  organizationId: string,
  role: string,
  permissions: readonly ChatPermission[],
) =>
  settle(
    authClient.organization.createRole({
      organizationId,
      role,
      permission: { chat: permissions.map(chatAction) },
    }),
  );

/** Removes a role of the workspace's own that nobody holds. */
export const deleteRole = (organizationId: string, role: string) =>
  settle(authClient.organization.deleteRole({ organizationId, roleName: role }));
