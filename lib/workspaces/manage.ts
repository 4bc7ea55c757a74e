import type { WorkspaceRole } from "@/contracts/workspaces";

/** How a role is named to people. */
export const ROLE_LABELS: Record<WorkspaceRole, string> = {
  owner: "Owner",
  admin: "Admin",
  member: "Member",
  guest: "Guest",
};

export const ROLE_DESCRIPTIONS: Record<WorkspaceRole, string> = {
  owner: "Everything, including who the owners are",
  admin: "Invites and removes people and changes their roles",
  member: "Chats with everyone in the workspace",
  guest: "Sees only the chats they are added to",
};

/** Owners and admins manage the workspace's people and invitations. */
export const managesPeople = (role: WorkspaceRole) => role === "owner" || role === "admin";

/**
 * The roles `actor` may give someone (Better Auth's rule, said before it answers): only an
 * owner makes owners.
 */
export function assignableRoles(actor: WorkspaceRole): WorkspaceRole[] {
  if (actor === "owner") return ["owner", "admin", "member", "guest"];
  if (actor === "admin") return ["admin", "member", "guest"];
  return [];
}
