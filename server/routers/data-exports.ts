import "server-only";

import {
  dataExportLatestInput,
  dataExportLatestSchema,
  dataExportListInput,
  dataExportListSchema,
  dataExportRequestInput,
  dataExportSchema,
} from "@/contracts/data-exports";
import {
  latestDataExport,
  listDataExports,
  requestDataExport,
} from "@/server/services/data-exports";
import { auditedProcedure, createTRPCRouter, protectedProcedure } from "@/server/trpc/init";

export const dataExportsRouter = createTRPCRouter({
  // The database allows one request an interval (DATA_EXPORT_INTERVAL_MINUTES): a tighter
  // limit than any per-minute budget, on top of the mutations every caller is counted for.
  request: auditedProcedure
    .input(dataExportRequestInput)
    .output(dataExportSchema)
    .mutation(async ({ ctx }) => {
      ctx.audit.details = { action: "data_export.requested" };
      const created = await requestDataExport(ctx.tx, { userId: ctx.user.id });
      ctx.audit.details = { action: "data_export.requested", exportId: created.id };
      return created;
    }),

  latest: protectedProcedure
    .input(dataExportLatestInput)
    .output(dataExportLatestSchema)
    .query(({ ctx }) => latestDataExport(ctx.tx, { userId: ctx.user.id })),

  list: protectedProcedure
    .input(dataExportListInput)
    .output(dataExportListSchema)
    .query(({ ctx }) => listDataExports(ctx.tx, { userId: ctx.user.id })),
});
