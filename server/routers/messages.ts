import "server-only";

import { z } from "zod";
import {
  editMessageInput,
  forwardMessageInput,
  listMessagesInput,
  editPageSchema,
  listEditsInput,
  messageIdInput,
  messagePageSchema,
  messageSchema,
  reactInput,
  reactionsResultSchema,
  readerSchema,
  searchMessagesInput,
  searchResultSchema,
  sendMessageInput,
} from "@/contracts/messages";
import {
  deleteMessage,
  editMessage,
  getMessage,
  listEdits,
  listMessages,
  listReaders,
  sendMessage,
  setReaction,
} from "@/server/services/messages";
import { forwardMessage } from "@/server/services/forward";
import { searchMessages } from "@/server/services/search";
import { createTRPCRouter, protectedProcedure } from "@/server/trpc/init";

export const messagesRouter = createTRPCRouter({
  list: protectedProcedure
    .input(listMessagesInput)
    .output(messagePageSchema)
    .query(({ ctx, input }) => listMessages(ctx.tx, { userId: ctx.user.id, ...input })),

  get: protectedProcedure
    .input(messageIdInput)
    .output(messageSchema)
    .query(({ ctx, input }) => getMessage(ctx.tx, { userId: ctx.user.id, ...input })),

  send: protectedProcedure
    .meta({ budget: "messages" })
    .input(sendMessageInput)
    .output(messageSchema)
    .mutation(({ ctx, input }) => sendMessage(ctx.tx, { userId: ctx.user.id, ...input })),

  // A new message (its files copied within the sender's space): from the messages budget.
  forward: protectedProcedure
    .meta({ budget: "messages" })
    .input(forwardMessageInput)
    .output(messageSchema)
    .mutation(({ ctx, input }) => forwardMessage(ctx.tx, { userId: ctx.user.id, ...input })),

  edit: protectedProcedure
    .meta({ budget: "messages" })
    .input(editMessageInput)
    .output(messageSchema)
    .mutation(({ ctx, input }) => editMessage(ctx.tx, { userId: ctx.user.id, ...input })),

  delete: protectedProcedure
    .meta({ budget: "messages" })
    .input(messageIdInput)
    .output(messageSchema)
    .mutation(({ ctx, input }) => deleteMessage(ctx.tx, { userId: ctx.user.id, ...input })),

  react: protectedProcedure
    .meta({ budget: "reactions" })
    .input(reactInput)
    .output(reactionsResultSchema)
    .mutation(({ ctx, input }) =>
      setReaction(ctx.tx, { userId: ctx.user.id, ...input, present: true }),
    ),

  unreact: protectedProcedure
    .meta({ budget: "reactions" })
    .input(reactInput)
    .output(reactionsResultSchema)
    .mutation(({ ctx, input }) =>
      setReaction(ctx.tx, { userId: ctx.user.id, ...input, present: false }),
    ),

  edits: protectedProcedure
    .input(listEditsInput)
    .output(editPageSchema)
    .query(({ ctx, input }) => listEdits(ctx.tx, { userId: ctx.user.id, ...input })),

  readers: protectedProcedure
    .input(messageIdInput)
    .output(z.array(readerSchema))
    .query(({ ctx, input }) => listReaders(ctx.tx, { userId: ctx.user.id, ...input })),

  search: protectedProcedure
    .input(searchMessagesInput)
    .output(searchResultSchema)
    .query(({ ctx, input }) => searchMessages(ctx.tx, { userId: ctx.user.id, ...input })),
});
