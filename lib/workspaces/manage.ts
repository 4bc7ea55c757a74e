import { isWorkspaceRole, type WorkspaceRole } from "@/contracts/workspaces";

const TEMPLATE_LABELS: Record<WorkspaceRole, string> = {
  owner: "Owner",
  admin: "Admin",
  member: "Member",
  guest: "Guest",
};

const TEMPLATE_DESCRIPTIONS: Record<WorkspaceRole, string> = {
  owner: "Everything, including who the owners are",
  admin: "Invites and removes people and changes their roles",
  member: "Chats with everyone in the workspace",
  guest: "Sees only the chats they are added to",
};

/** How a role is named to people: a template's label, or a workspace's own role's words. */
export function roleLabel(role: string): string {
  if (isWorkspaceRole(role)) return TEMPLATE_LABELS[role];
  const words = role.replace(/-+/g, " ").trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export function roleDescription(role: string): string {
  return isWorkspaceRole(role)
    ? TEMPLATE_DESCRIPTIONS[role]
    : "A role of this workspace's own: what it may do is on the Roles page";
}

/** Owners and admins manage the workspace's people, invitations and roles. */
export const managesPeople = (role: string) => role === "owner" || role === "admin";

/**
 * The roles `actor` may give someone, of the workspace's `roles` (Better Auth's rule, said
 * before it answers): only an owner makes owners.
 */
export function assignableRoles(actor: string, roles: readonly string[]): string[] {
  if (actor === "owner") return [...roles];
  if (actor === "admin") return roles.filter((role) => role !== "owner");
  return [];
}
