import "server-only";

import {
  followResultSchema,
  followThreadInput,
  listThreadsInput,
  markThreadReadInput,
  threadListSchema,
  threadPageInput,
  threadPageSchema,
  threadReadResultSchema,
} from "@/contracts/threads";
import { followThread, getThread, listThreads, markThreadRead } from "@/server/services/threads";
import { createTRPCRouter, protectedProcedure } from "@/server/trpc/init";

export const threadsRouter = createTRPCRouter({
  get: protectedProcedure
    .input(threadPageInput)
    .output(threadPageSchema)
    .query(({ ctx, input }) => getThread(ctx.tx, { userId: ctx.user.id, ...input })),

  list: protectedProcedure
    .input(listThreadsInput)
    .output(threadListSchema)
    .query(({ ctx, input }) => listThreads(ctx.tx, { userId: ctx.user.id, ...input })),

  // Like saving a message: one's own mark, told to one's other tabs.
  follow: protectedProcedure
    .meta({ budget: "reactions" })
    .input(followThreadInput)
    .output(followResultSchema)
    .mutation(({ ctx, input }) => followThread(ctx.tx, { userId: ctx.user.id, ...input })),

  markRead: protectedProcedure
    .input(markThreadReadInput)
    .output(threadReadResultSchema)
    .mutation(({ ctx, input }) => markThreadRead(ctx.tx, { userId: ctx.user.id, ...input })),
});
