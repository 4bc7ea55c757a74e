import "server-only";

import { auditViewPageSchema, listAuditInput } from "@/contracts/audit";
import { listAuditView } from "@/server/services/audit";
import { createTRPCRouter, protectedProcedure } from "@/server/trpc/init";

export const auditRouter = createTRPCRouter({
  /** The caller's own trail (admins too: the whole log is admin.audit.list). */
  list: protectedProcedure
    .input(listAuditInput)
    .output(auditViewPageSchema)
    .query(({ ctx, input }) => listAuditView(ctx.tx, { ...input, userId: ctx.user.id })),
});
