import "server-only";

import {
  adminUserIdInput,
  adminListUsersInput,
  adminOverviewSchema,
  adminStatsInput,
  adminUserPageSchema,
  resetTwoFactorResultSchema,
} from "@/contracts/admin";
import {
  adminApiKeySchema,
  adminListApiKeysInput,
  adminApiKeyListSchema,
  apiKeyIdInput,
} from "@/contracts/api-keys";
import {
  healthIndexesInput,
  healthOverviewSchema,
  healthStatementsInput,
  healthStatementsSchema,
  healthTablesInput,
  healthTrendSchema,
  indexHealthSchema,
  tableHealthSchema,
} from "@/contracts/admin-health";
import { adminListAuditInput, auditViewPageSchema } from "@/contracts/audit";
import { deadLettersSchema, listDeadLettersInput } from "@/contracts/dead-letters";
import {
  accountDeletionCancelledSchema,
  accountDeletionScheduledSchema,
  adminRequestAccountDeletionInput,
} from "@/contracts/account-deletion";
import {
  adminCancelAccountDeletion,
  adminRequestAccountDeletion,
} from "@/server/services/account-deletions";
import { adminListApiKeys, revokeApiKey } from "@/server/services/api-keys";
import { env } from "@/server/env";
import {
  healthIndexes,
  healthOverview,
  healthStatements,
  healthTables,
  healthTrend,
} from "@/server/services/admin-health";
import { adminOverview } from "@/server/services/admin-stats";
import { adminListUsers, adminResetTwoFactor } from "@/server/services/admin-users";
import { listAuditView } from "@/server/services/audit";
import { listDeadLetters } from "@/server/services/dead-letters";
import { adminProcedure, auditedAdminProcedure, createTRPCRouter } from "@/server/trpc/init";
import { z } from "zod";

export const adminRouter = createTRPCRouter({
  apiKeys: createTRPCRouter({
    list: adminProcedure
      .input(adminListApiKeysInput)
      .output(adminApiKeyListSchema)
      .query(({ ctx, input }) => adminListApiKeys(ctx.tx, input)),

    revoke: auditedAdminProcedure
      .input(apiKeyIdInput)
      .output(
        adminApiKeySchema.omit({ ownerName: true, ownerEmail: true }).extend({ userId: z.uuid() }),
      )
      .mutation(async ({ ctx, input }) => {
        ctx.audit.details = { action: "api_key.revoked", keyId: input.id, byAdmin: true };
        const key = await revokeApiKey(ctx.tx, { id: input.id });
        ctx.audit.apiKeyId = key.id;
        ctx.audit.subjectUserId = key.userId;
        ctx.audit.details = {
          action: "api_key.revoked",
          keyId: key.id,
          name: key.name,
          prefix: key.prefix,
          byAdmin: true,
        };
        return key;
      }),
  }),

  audit: createTRPCRouter({
    list: adminProcedure
      .input(adminListAuditInput)
      .output(auditViewPageSchema)
      .query(({ ctx, input }) => listAuditView(ctx.tx, input)),
  }),

  users: createTRPCRouter({
    list: adminProcedure
      .input(adminListUsersInput)
      .output(adminUserPageSchema)
      .query(({ ctx, input }) => adminListUsers(ctx.tx, input)),

    resetTwoFactor: auditedAdminProcedure
      .input(adminUserIdInput)
      .output(resetTwoFactorResultSchema)
      .mutation(({ ctx, input }) => {
        ctx.audit.subjectUserId = input.userId;
        ctx.audit.details = { action: "two_factor.reset", targetUserId: input.userId };
        return adminResetTwoFactor(ctx.tx, input);
      }),

    requestDeletion: auditedAdminProcedure
      .input(adminRequestAccountDeletionInput)
      .output(accountDeletionScheduledSchema)
      .mutation(({ ctx, input }) => {
        ctx.audit.subjectUserId = input.userId;
        ctx.audit.details = {
          action: "account.deletion_requested",
          targetUserId: input.userId,
          messages: input.messages,
          byAdmin: true,
        };
        return adminRequestAccountDeletion(ctx.tx, {
          ...input,
          graceDays: env.ACCOUNT_DELETION_GRACE_DAYS,
        });
      }),

    cancelDeletion: auditedAdminProcedure
      .input(adminUserIdInput)
      .output(accountDeletionCancelledSchema)
      .mutation(({ ctx, input }) => {
        ctx.audit.subjectUserId = input.userId;
        ctx.audit.details = {
          action: "account.deletion_cancelled",
          targetUserId: input.userId,
          byAdmin: true,
        };
        return adminCancelAccountDeletion(ctx.tx, input);
      }),
  }),

  deadLetters: createTRPCRouter({
    list: adminProcedure
      .input(listDeadLettersInput)
      .output(deadLettersSchema)
      .query(({ ctx, input }) => listDeadLetters(ctx.tx, input)),
  }),

  stats: createTRPCRouter({
    overview: adminProcedure
      .input(adminStatsInput)
      .output(adminOverviewSchema)
      .query(({ ctx, input }) => adminOverview(ctx.tx, input)),
  }),

  health: createTRPCRouter({
    overview: adminProcedure
      .input(z.void())
      .output(healthOverviewSchema)
      .query(({ ctx }) => healthOverview(ctx.tx)),

    trend: adminProcedure
      .input(z.void())
      .output(healthTrendSchema)
      .query(({ ctx }) => healthTrend(ctx.tx)),

    tables: adminProcedure
      .input(healthTablesInput)
      .output(z.array(tableHealthSchema))
      .query(({ ctx, input }) => healthTables(ctx.tx, input)),

    indexes: adminProcedure
      .input(healthIndexesInput)
      .output(z.array(indexHealthSchema))
      .query(({ ctx, input }) => healthIndexes(ctx.tx, input)),

    statements: adminProcedure
      .input(healthStatementsInput)
      .output(healthStatementsSchema)
      .query(({ ctx, input }) => healthStatements(ctx.tx, input)),
  }),
});
