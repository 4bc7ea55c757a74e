import "server-only";

import { z } from "zod";
import { setStatusInput, statusSchema } from "@/contracts/statuses";
import { clearStatus, getStatus, setStatus } from "@/server/services/statuses";
import { createTRPCRouter, protectedProcedure } from "@/server/trpc/init";

export const statusRouter = createTRPCRouter({
  get: protectedProcedure
    .output(statusSchema.nullable())
    .query(({ ctx }) => getStatus(ctx.tx, { userId: ctx.user.id })),

  set: protectedProcedure
    .input(setStatusInput)
    .output(statusSchema)
    .mutation(({ ctx, input }) => setStatus(ctx.tx, { userId: ctx.user.id, ...input })),

  clear: protectedProcedure
    .output(z.null())
    .mutation(({ ctx }) => clearStatus(ctx.tx, { userId: ctx.user.id })),
});
