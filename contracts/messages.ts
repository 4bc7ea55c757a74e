import { z } from "zod";
import { MESSAGE_TYPES } from "@/contracts/enums";
import { pagingDirectionSchema, seqSchema } from "./chats";
import { emojiSchema } from "./emoji";

export const MESSAGE_MAX_LENGTH = 10_000;
export const MAX_ATTACHMENTS = 10;

export const listMessagesInput = z
  .object({
    chatId: z.uuid(),
    before: seqSchema.optional(),
    after: seqSchema.optional(),
    around: seqSchema.optional(),
    limit: z.number().int().min(1).max(100).default(50),
  })
  .strict()
  .refine((v) => [v.before, v.after, v.around].filter((x) => x !== undefined).length <= 1, {
    message: "Give at most one of before, after and around",
  });
export type ListMessagesInput = z.infer<typeof listMessagesInput>;

/** An idempotency key: tRPC's `clientKey`, REST's `Idempotency-Key`. */
export const idempotencyKeySchema = z
  .string()
  .min(1)
  .max(255)
  .regex(/^[\x21-\x7e]+$/, "Printable ASCII without spaces");

export const sendMessageInput = z
  .object({
    chatId: z.uuid(),
    /**
     * The client's idempotency key: a retry with the same key returns the stored message, whose
     * id is `messageIdFor(sender, clientKey)` (contracts/message-ids.ts).
     */
    clientKey: idempotencyKeySchema.optional(),
    content: z
      .string()
      .max(MESSAGE_MAX_LENGTH, `A message is at most ${MESSAGE_MAX_LENGTH} characters`),
    replyToId: z.uuid().optional(),
    /** Sends the message as a reply in this message's thread rather than to the timeline. */
    threadRootId: z.uuid().optional(),
    attachmentIds: z.array(z.uuid()).max(MAX_ATTACHMENTS).optional(),
  })
  .strict()
  .refine((v) => v.content.trim().length > 0 || (v.attachmentIds?.length ?? 0) > 0, {
    message: "A message needs text or an attachment",
    path: ["content"],
  });
export type SendMessageInput = z.infer<typeof sendMessageInput>;

export const messageIdInput = z.object({ messageId: z.uuid() }).strict();

/** Forwards a message to another of the caller's chats (`chatId`). */
export const forwardMessageInput = z
  .object({ messageId: z.uuid(), chatId: z.uuid(), clientKey: idempotencyKeySchema.optional() })
  .strict();
export type ForwardMessageInput = z.infer<typeof forwardMessageInput>;

export const editMessageInput = z
  .object({
    messageId: z.uuid(),
    content: z
      .string()
      .max(MESSAGE_MAX_LENGTH, `A message is at most ${MESSAGE_MAX_LENGTH} characters`),
  })
  .strict();

export const reactInput = z.object({ messageId: z.uuid(), emoji: emojiSchema }).strict();

export const searchMessagesInput = z
  .object({
    query: z.string().trim().min(1, "Type something to search for").max(200),
    chatId: z.uuid().optional(),
    cursor: z.string().max(200).optional(),
    direction: pagingDirectionSchema,
    limit: z.number().int().min(1).max(50).default(20),
  })
  .strict();

export const userRefSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  image: z.string().nullable(),
});

export const attachmentSchema = z.object({
  id: z.uuid(),
  fileName: z.string(),
  fileSize: z.number().int(),
  mimeType: z.string(),
  width: z.number().int().nullable(),
  height: z.number().int().nullable(),
  /** A signed URL, valid for ATTACHMENT_URL_TTL_SECONDS. */
  url: z.string(),
  thumbnailUrl: z.string().nullable(),
});

export const reactionSummarySchema = z.object({
  emoji: z.string(),
  count: z.number().int(),
  reactedByMe: z.boolean(),
  /** The first people who reacted (at most 10), earliest first, for a "who reacted" hint. */
  names: z.array(z.string()),
});

export const replyPreviewSchema = z.object({
  id: z.uuid(),
  seq: z.number().int(),
  senderName: z.string().nullable(),
  preview: z.string(),
  deleted: z.boolean(),
});

/** What a message's thread shows under it: how many replies, the latest repliers, my place. */
export const threadSummarySchema = z.object({
  replyCount: z.number().int(),
  lastReplyAt: z.date(),
  /** The latest repliers, most recent first, a few at most. */
  participants: z.array(userRefSchema),
  /** The caller follows the thread: its replies count as unread for them. */
  following: z.boolean(),
  /** The caller follows it and has not read its latest reply. */
  unread: z.boolean(),
});
export type ThreadSummary = z.infer<typeof threadSummarySchema>;

export const messageStatusSchema = z.enum(["sent", "delivered", "read"]);

export const messageSchema = z.object({
  id: z.uuid(),
  chatId: z.uuid(),
  seq: z.number().int(),
  type: z.enum(MESSAGE_TYPES),
  /** Null once deleted. */
  content: z.string().nullable(),
  sender: userRefSchema.nullable(),
  /**
   * The people the text mentions as `<@id>`, with the names to show; one the caller may not
   * see is left out (and shown as "@someone").
   */
  mentions: z.array(z.object({ id: z.uuid(), name: z.string() })),
  replyTo: replyPreviewSchema.nullable(),
  /** A reply in this message's thread; null for a message of the chat's timeline. */
  threadRootId: z.uuid().nullable(),
  /** The thread of replies under this message, once it has any. */
  thread: threadSummarySchema.nullable(),
  /** Forwarded from another message; where from is not told. */
  forwarded: z.boolean(),
  metadata: z.record(z.string(), z.unknown()).nullable(),
  attachments: z.array(attachmentSchema),
  reactions: z.array(reactionSummarySchema),
  edited: z.boolean(),
  editedAt: z.date().nullable(),
  deleted: z.boolean(),
  deletedAt: z.date().nullable(),
  deletedBy: z.uuid().nullable(),
  createdAt: z.date(),
  /** Only on the caller's own messages in the timeline. */
  status: messageStatusSchema.nullable(),
  /** Only on the caller's own messages in groups: members other than the sender who read it. */
  readBy: z.number().int().nullable(),
  /** Pinned to the chat: by whom (null once that account is gone), whether by the caller. */
  pinned: z.object({ by: z.string().nullable(), byMe: z.boolean(), at: z.date() }).nullable(),
  /** In the caller's saved messages. */
  saved: z.boolean(),
  /** The page its first link points to, as the server fetched it (none while pending). */
  linkPreview: z
    .object({
      url: z.string(),
      title: z.string(),
      description: z.string().nullable(),
      siteName: z.string().nullable(),
    })
    .nullable(),
});
export type MessageView = z.infer<typeof messageSchema>;

export const messagePageSchema = z.object({
  messages: z.array(messageSchema),
  /** There are older messages before the first one returned. */
  hasOlder: z.boolean(),
  /** There are newer messages after the last one returned. */
  hasNewer: z.boolean(),
  lastSeq: z.number().int(),
  /**
   * The message asked for with `around` is a reply in a thread: the page is the timeline
   * around the thread's root, and this says where the reply is.
   */
  inThread: z
    .object({ rootId: z.uuid(), rootSeq: z.number().int(), seq: z.number().int() })
    .nullable(),
});
export type TimelinePage = z.infer<typeof messagePageSchema>;

export const messageEditSchema = z.object({
  id: z.uuid(),
  previousContent: z.string(),
  editedAt: z.date(),
  editedBy: userRefSchema.nullable(),
});

export type MessageEdit = z.infer<typeof messageEditSchema>;

/** How many times a message can be edited: its history stays a bounded size. */
export const MESSAGE_MAX_EDITS = 100;

export const listEditsInput = z
  .object({
    messageId: z.uuid(),
    cursor: z.string().max(200).optional(),
    limit: z.number().int().min(1).max(50).default(20),
    direction: pagingDirectionSchema,
  })
  .strict();
export type ListEditsInput = z.infer<typeof listEditsInput>;

/** A message's earlier versions, newest first, a page at a time. */
export const editPageSchema = z.object({
  items: z.array(messageEditSchema),
  nextCursor: z.string().nullable(),
});

export const readerSchema = z.object({
  userId: z.uuid(),
  name: z.string(),
  image: z.string().nullable(),
  /** When the member's read pointer last moved (at or after reading this message). */
  readAt: z.date().nullable(),
});

export const searchHitSchema = z.object({
  messageId: z.uuid(),
  chatId: z.uuid(),
  chatTitle: z.string(),
  seq: z.number().int(),
  sender: userRefSchema.nullable(),
  createdAt: z.date(),
  rank: z.number(),
  /** The snippet split into plain text and matched parts, ready to render safely. */
  snippet: z.array(z.object({ text: z.string(), match: z.boolean() })),
});
export type SearchHit = z.infer<typeof searchHitSchema>;

export const searchResultSchema = z.object({
  hits: z.array(searchHitSchema),
  nextCursor: z.string().nullable(),
});

export const reactionsResultSchema = z.object({
  messageId: z.uuid(),
  reactions: z.array(reactionSummarySchema),
});
