import { z } from "zod";
import { MESSAGE_TYPES } from "@/contracts/enums";
import { pagingDirectionSchema, seqSchema } from "./chats";
import { messageSchema, userRefSchema } from "./messages";

export const threadIdInput = z.object({ rootId: z.uuid() }).strict();

/** A page of a thread's replies, like a page of the timeline (keyset on seq). */
export const threadPageInput = z
  .object({
    rootId: z.uuid(),
    before: seqSchema.optional(),
    after: seqSchema.optional(),
    around: seqSchema.optional(),
    limit: z.number().int().min(1).max(100).default(50),
  })
  .strict()
  .refine((v) => [v.before, v.after, v.around].filter((x) => x !== undefined).length <= 1, {
    message: "Give at most one of before, after and around",
  });
export type ThreadPageInput = z.infer<typeof threadPageInput>;

export const threadPageSchema = z.object({
  /** The message the thread hangs off. */
  root: messageSchema,
  /** The caller follows the thread. */
  following: z.boolean(),
  /** Replies, oldest first. */
  messages: z.array(messageSchema),
  hasOlder: z.boolean(),
  hasNewer: z.boolean(),
  /** The chat's last seq when the page was read: where to follow it from. */
  lastSeq: z.number().int(),
});
export type ThreadPage = z.infer<typeof threadPageSchema>;

export const followThreadInput = z.object({ rootId: z.uuid(), following: z.boolean() }).strict();
export const followResultSchema = z.object({ rootId: z.uuid(), following: z.boolean() });

export const markThreadReadInput = z.object({ rootId: z.uuid(), seq: seqSchema }).strict();
export const threadReadResultSchema = z.object({ rootId: z.uuid(), lastReadSeq: z.number().int() });

export const listThreadsInput = z
  .object({
    chatId: z.uuid(),
    cursor: z.string().max(200).optional(),
    direction: pagingDirectionSchema,
    limit: z.number().int().min(1).max(50).default(20),
  })
  .strict();
export type ListThreadsInput = z.infer<typeof listThreadsInput>;

/** A thread in a chat's list of threads: its root in one line, its totals, my place in it. */
export const threadItemSchema = z.object({
  rootId: z.uuid(),
  chatId: z.uuid(),
  seq: z.number().int(),
  type: z.enum(MESSAGE_TYPES),
  sender: userRefSchema.nullable(),
  preview: z.string(),
  deleted: z.boolean(),
  createdAt: z.date(),
  replyCount: z.number().int(),
  lastReplyAt: z.date(),
  participants: z.array(userRefSchema),
  following: z.boolean(),
  unread: z.boolean(),
});
export type ThreadItem = z.infer<typeof threadItemSchema>;

export const threadListSchema = z.object({
  items: z.array(threadItemSchema),
  nextCursor: z.string().nullable(),
});
