import { z } from "zod";
import { pagingDirectionSchema } from "./chats";
import { attachmentSchema, userRefSchema } from "./messages";

/** Pictures and videos, or every other kind of file. */
export const CHAT_FILE_KINDS = ["media", "files"] as const;

export const listChatFilesInput = z
  .object({
    chatId: z.uuid(),
    kind: z.enum(CHAT_FILE_KINDS),
    cursor: z.string().max(200).optional(),
    direction: pagingDirectionSchema,
    limit: z.number().int().min(1).max(60).default(24),
  })
  .strict();
export type ListChatFilesInput = z.infer<typeof listChatFilesInput>;

/** A file shared in a chat, newest first, with the message it came with. */
export const chatFileSchema = attachmentSchema.extend({
  messageId: z.uuid(),
  seq: z.number().int(),
  sender: userRefSchema.nullable(),
  createdAt: z.date(),
});
export type ChatFile = z.infer<typeof chatFileSchema>;

export const chatFilePageSchema = z.object({
  items: z.array(chatFileSchema),
  nextCursor: z.string().nullable(),
});
