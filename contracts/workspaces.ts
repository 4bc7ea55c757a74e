import { z } from "zod";

/** The roles a workspace member can have, most powerful first. */
export const WORKSPACE_ROLES = ["owner", "admin", "member", "guest"] as const;
export type WorkspaceRole = (typeof WORKSPACE_ROLES)[number];

export const workspaceName = z
  .string()
  .trim()
  .min(1, "Enter a name for the workspace")
  .max(80, "A workspace name has at most 80 characters");

/** The workspace's address: lower-case letters, digits and inner hyphens (as the database checks). */
export const workspaceSlug = z
  .string()
  .regex(
    /^[a-z0-9]([a-z0-9-]{0,46}[a-z0-9])?$/,
    "Use 1 to 48 lower-case letters, digits and hyphens, starting and ending with a letter or digit",
  );
