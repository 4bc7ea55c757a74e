import { auditPageSchema, listAuditInput } from "@/server/contracts/audit";
import { listAuditLogs } from "@/server/services/audit";
import { createTRPCRouter, protectedProcedure } from "@/server/trpc/init";

export const auditRouter = createTRPCRouter({
  /** The caller's own trail (admins too: the whole log is admin.audit.list). */
  list: protectedProcedure
    .input(listAuditInput)
    .output(auditPageSchema)
    .query(({ ctx, input }) => listAuditLogs(ctx.tx, { ...input, userId: ctx.user.id })),
});
