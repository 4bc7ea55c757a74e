import { z } from "zod";
import { pagingDirectionSchema } from "@/contracts/audit";
import { CHAT_PERMISSIONS } from "@/contracts/permissions";

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

/**
 * A role's name: one of the templates above, or a workspace's own (lower-case letters, digits
 * and hyphens, as the database checks).
 */
export const workspaceRole = z
  .string()
  .regex(
    /^[a-z][a-z0-9-]{0,31}$/,
    "Use 1 to 32 lower-case letters, digits and hyphens, starting with a letter",
  );

/** A workspace the caller belongs to, as the switcher lists it. */
export const workspaceSummarySchema = z.object({
  id: z.uuid(),
  name: z.string(),
  slug: z.string(),
  logo: z.string().nullable(),
  role: workspaceRole,
  memberCount: z.number().int(),
  /** The one this session is in. */
  current: z.boolean(),
});
export type WorkspaceSummary = z.infer<typeof workspaceSummarySchema>;

export const workspaceMemberSchema = z.object({
  memberId: z.uuid(),
  userId: z.uuid(),
  name: z.string(),
  image: z.string().nullable(),
  role: workspaceRole,
  joinedAt: z.date(),
});
export type WorkspaceMember = z.infer<typeof workspaceMemberSchema>;

export const INVITATION_STATUSES = [
  "pending",
  "accepted",
  "rejected",
  "canceled",
  "expired",
] as const;

export const workspaceInvitationSchema = z.object({
  id: z.uuid(),
  email: z.string(),
  role: workspaceRole,
  inviterName: z.string(),
  createdAt: z.date(),
  expiresAt: z.date(),
});
export type WorkspaceInvitation = z.infer<typeof workspaceInvitationSchema>;

/** What an invitation link says to whoever opens it, signed in or not. */
export const invitationPreviewSchema = z.object({
  workspaceName: z.string(),
  inviterName: z.string(),
  email: z.string(),
  role: workspaceRole,
  status: z.enum(INVITATION_STATUSES),
  expiresAt: z.date(),
});
export type InvitationPreview = z.infer<typeof invitationPreviewSchema>;

export const inviteInput = z
  .object({
    email: z.email("Enter an email address").max(254),
    role: workspaceRole.refine((role) => role !== "owner", "Only owners make owners"),
  })
  .strict();
export type InviteInput = z.infer<typeof inviteInput>;

export const isWorkspaceRole = (value: string): value is WorkspaceRole =>
  (WORKSPACE_ROLES as readonly string[]).includes(value);

/** A workspace role and the chat permissions it holds there. */
export const workspaceRoleSchema = z.object({
  role: workspaceRole,
  permissions: z.array(z.enum(CHAT_PERMISSIONS)),
  memberCount: z.number().int(),
});
export type WorkspaceRoleView = z.infer<typeof workspaceRoleSchema>;

export const WORKSPACE_ACTIVITY_PAGE = 50;

export const workspaceActivityInput = z
  .object({ cursor: z.string().max(200).optional(), direction: pagingDirectionSchema })
  .strict()
  .default({});

/** One change to a workspace's people, invitations or roles, as its owners and admins see it. */
export const workspaceActivitySchema = z.object({
  id: z.uuid(),
  createdAt: z.date(),
  /** Better Auth's endpoint as an action name: `organization.remove-member`, … */
  action: z.string(),
  actorName: z.string().nullable(),
  targetName: z.string().nullable(),
  email: z.string().nullable(),
  role: z.string().nullable(),
  permissions: z.array(z.string()).nullable(),
  name: z.string().nullable(),
});
export type WorkspaceActivity = z.infer<typeof workspaceActivitySchema>;

export const workspaceActivityPageSchema = z.object({
  items: z.array(workspaceActivitySchema),
  nextCursor: z.string().nullable(),
});

/** The workspace the session is in, with what the caller's role there may do in chats. */
export const currentWorkspaceSchema = workspaceSummarySchema.extend({
  permissions: z.array(z.enum(CHAT_PERMISSIONS)),
});
export type CurrentWorkspace = z.infer<typeof currentWorkspaceSchema>;

export const createRoleInput = z
  .object({
    name: workspaceRole.refine(
      (name) => !isWorkspaceRole(name),
      "Owner, admin, member and guest are every workspace's already",
    ),
    /** The role whose permissions the new one starts with. */
    from: workspaceRole,
  })
  .strict();
export type CreateRoleInput = z.infer<typeof createRoleInput>;
