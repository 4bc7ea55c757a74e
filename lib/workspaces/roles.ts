import { createAccessControl } from "better-auth/plugins/access";
import {
  adminAc,
  defaultStatements,
  memberAc,
  ownerAc,
} from "better-auth/plugins/organization/access";
import { CHAT_ACTIONS } from "@/contracts/permissions";
import type { WorkspaceRole } from "@/contracts/workspaces";

/**
 * What each workspace role may do, in Better Auth's terms. The workspace itself (owners
 * everything, admins all but deleting it, members and guests nothing but read roles) is fixed
 * here; what a role may do in chats is data, each workspace's `organization_role` rows, which
 * Better Auth adds to these and the database reads through has_permission().
 */
export const workspaceAccess = createAccessControl({ ...defaultStatements, chat: CHAT_ACTIONS });

export const workspaceRoles = {
  owner: workspaceAccess.newRole(ownerAc.statements),
  admin: workspaceAccess.newRole(adminAc.statements),
  member: workspaceAccess.newRole(memberAc.statements),
  guest: workspaceAccess.newRole({ ac: ["read"] }),
} satisfies Record<WorkspaceRole, unknown>;
