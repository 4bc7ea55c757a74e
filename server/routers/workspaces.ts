import "server-only";

import { z } from "zod";
import {
  currentWorkspaceSchema,
  invitationPreviewSchema,
  workspaceActivityInput,
  workspaceActivityPageSchema,
  workspaceInvitationSchema,
  workspaceMemberSchema,
  workspaceRoleSchema,
  workspaceSummarySchema,
} from "@/contracts/workspaces";
import {
  currentWorkspace,
  listMyWorkspaces,
  listPendingInvitations,
  listWorkspaceActivity,
  listWorkspaceMembers,
  listWorkspaceRoles,
  previewInvitation,
} from "@/server/services/workspaces";
import { createTRPCRouter, protectedProcedure, visitorProcedure } from "@/server/trpc/init";

/**
 * What workspaces read under RLS. Changes (create, switch, invite, accept, remove, roles,
 * leave) are Better Auth's organization endpoints, checked by server/workspaces/workspace-rules.ts.
 */
export const workspacesRouter = createTRPCRouter({
  list: protectedProcedure
    .input(z.void())
    .output(z.array(workspaceSummarySchema))
    .query(({ ctx }) => listMyWorkspaces(ctx.tx, { userId: ctx.user.id })),

  current: protectedProcedure
    .input(z.void())
    .output(currentWorkspaceSchema)
    .query(({ ctx }) => currentWorkspace(ctx.tx, { userId: ctx.user.id })),

  members: protectedProcedure
    .input(z.void())
    .output(z.array(workspaceMemberSchema))
    .query(({ ctx }) => listWorkspaceMembers(ctx.tx)),

  roles: protectedProcedure
    .input(z.void())
    .output(z.array(workspaceRoleSchema))
    .query(({ ctx }) => listWorkspaceRoles(ctx.tx)),

  invitations: protectedProcedure
    .input(z.void())
    .output(z.array(workspaceInvitationSchema))
    .query(({ ctx }) => listPendingInvitations(ctx.tx)),

  activity: protectedProcedure
    .input(workspaceActivityInput)
    .output(workspaceActivityPageSchema)
    .query(({ ctx, input }) => listWorkspaceActivity(ctx.tx, { cursor: input.cursor })),

  invitation: visitorProcedure
    .input(z.object({ invitationId: z.uuid() }).strict())
    .output(invitationPreviewSchema)
    .query(({ ctx, input }) => previewInvitation(ctx.tx, input)),
});
