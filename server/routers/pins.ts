import "server-only";

import { z } from "zod";
import { messageIdInput } from "@/contracts/messages";
import { listPinsInput, pinResultSchema, pinSchema } from "@/contracts/pins";
import { listPins, pinMessage, unpinMessage } from "@/server/services/pins";
import { createTRPCRouter, protectedProcedure } from "@/server/trpc/init";

export const pinsRouter = createTRPCRouter({
  list: protectedProcedure
    .input(listPinsInput)
    .output(z.array(pinSchema))
    .query(({ ctx, input }) => listPins(ctx.tx, { userId: ctx.user.id, ...input })),

  // A pin posts an event line in the chat: it spends from the messages budget.
  add: protectedProcedure
    .meta({ budget: "messages" })
    .input(messageIdInput)
    .output(pinResultSchema)
    .mutation(({ ctx, input }) => pinMessage(ctx.tx, { userId: ctx.user.id, ...input })),

  remove: protectedProcedure
    .meta({ budget: "messages" })
    .input(messageIdInput)
    .output(pinResultSchema)
    .mutation(({ ctx, input }) => unpinMessage(ctx.tx, { userId: ctx.user.id, ...input })),
});
