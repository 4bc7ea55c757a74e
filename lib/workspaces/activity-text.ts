import type { WorkspaceActivity } from "@/contracts/workspaces";
import { roleLabel } from "./manage";

const roleName = (role: string | null) => (role ? roleLabel(role).toLowerCase() : "a role");

/** One line of a workspace's activity, as people say it. */
export function activityText(entry: WorkspaceActivity): string {
  const actor = entry.actorName ?? "Someone";
  const target = entry.targetName ?? "someone";
  switch (entry.action) {
    case "organization.create":
      return `${actor} created the workspace${entry.name ? ` ${entry.name}` : ""}`;
    case "organization.update":
      return `${actor} renamed the workspace${entry.name ? ` to ${entry.name}` : ""}`;
    case "organization.invite-member":
      return `${actor} invited ${entry.email ?? "someone"} as ${roleName(entry.role)}`;
    case "organization.cancel-invitation":
      return `${actor} revoked the invitation to ${entry.email ?? "someone"}`;
    case "organization.accept-invitation":
      return `${target} joined as ${roleName(entry.role)}`;
    case "organization.reject-invitation":
      return `${actor} declined the invitation${entry.email ? ` to ${entry.email}` : ""}`;
    case "organization.remove-member":
      return `${actor} removed ${target}`;
    case "organization.update-member-role":
      return `${actor} made ${target} ${roleName(entry.role)}`;
    case "organization.leave":
      return `${actor} left the workspace`;
    case "organization.update-role": {
      const permissions = entry.permissions?.map((p) => `chat.${p}`).join(", ") ?? "";
      return `${actor} changed what ${roleName(entry.role)}s may do: ${permissions || "nothing"}`;
    }
    case "organization.create-role": {
      const permissions = entry.permissions?.map((p) => `chat.${p}`).join(", ") ?? "";
      return `${actor} made the role ${roleName(entry.role)}: ${permissions || "nothing"}`;
    }
    case "organization.delete-role":
      return `${actor} removed the role ${roleName(entry.role)}`;
    default:
      return `${actor}: ${entry.action}`;
  }
}
