import { createAccessControl } from "better-auth/plugins/access";
import {
  adminAc,
  defaultStatements,
  memberAc,
  ownerAc,
} from "better-auth/plugins/organization/access";
import type { WorkspaceRole } from "@/contracts/workspaces";

/**
 * What each workspace role may do to the workspace itself, in Better Auth's terms: owners
 * everything, admins all but deleting it, members nothing but read roles, and guests nothing.
 */
export const workspaceAccess = createAccessControl(defaultStatements);

export const workspaceRoles = {
  owner: workspaceAccess.newRole(ownerAc.statements),
  admin: workspaceAccess.newRole(adminAc.statements),
  member: workspaceAccess.newRole(memberAc.statements),
  guest: workspaceAccess.newRole({}),
} satisfies Record<WorkspaceRole, unknown>;
