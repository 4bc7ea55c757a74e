import "server-only";

import { dashboardSummarySchema } from "@/contracts/dashboard";
import { dashboardSummary } from "@/server/services/dashboard";
import { createTRPCRouter, protectedProcedure } from "@/server/trpc/init";

export const dashboardRouter = createTRPCRouter({
  summary: protectedProcedure
    .output(dashboardSummarySchema)
    .query(({ ctx }) => dashboardSummary(ctx.tx, { userId: ctx.user.id })),
});
