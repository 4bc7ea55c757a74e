import "server-only";

import { messageIdInput } from "@/contracts/messages";
import { listSavedInput, savedPageSchema, savedResultSchema } from "@/contracts/pins";
import { listSaved, saveMessage, unsaveMessage } from "@/server/services/saved-messages";
import { createTRPCRouter, protectedProcedure } from "@/server/trpc/init";

export const savedRouter = createTRPCRouter({
  list: protectedProcedure
    .input(listSavedInput)
    .output(savedPageSchema)
    .query(({ ctx, input }) => listSaved(ctx.tx, { userId: ctx.user.id, ...input })),

  add: protectedProcedure
    .meta({ budget: "reactions" })
    .input(messageIdInput)
    .output(savedResultSchema)
    .mutation(({ ctx, input }) => saveMessage(ctx.tx, { userId: ctx.user.id, ...input })),

  remove: protectedProcedure
    .meta({ budget: "reactions" })
    .input(messageIdInput)
    .output(savedResultSchema)
    .mutation(({ ctx, input }) => unsaveMessage(ctx.tx, { userId: ctx.user.id, ...input })),
});
