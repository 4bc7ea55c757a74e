import { bigint, boolean, index, integer, pgTable, primaryKey, uuid } from "drizzle-orm/pg-core";
import { user } from "./auth";
import { chats, messages } from "./chat";
import { timestamptz } from "./columns";

const seq = (name: string) => bigint(name, { mode: "number" });

/**
 * A message's thread once it has replies (drizzle/0031): its totals and latest repliers,
 * kept by a trigger on each reply, read by the chat's members.
 */
export const messageThreads = pgTable(
  "message_threads",
  {
    rootId: uuid("rootId")
      .primaryKey()
      .references(() => messages.id, { onDelete: "cascade" }),
    chatId: uuid("chatId")
      .notNull()
      .references(() => chats.id, { onDelete: "cascade" }),
    replyCount: integer("replyCount").notNull().default(0),
    lastReplySeq: seq("lastReplySeq").notNull(),
    lastReplyAt: timestamptz("lastReplyAt").notNull(),
    /** The latest repliers, most recent first, a few at most. */
    participantIds: uuid("participantIds").array().notNull().default([]),
  },
  (t) => [index("idx_message_threads_chat").on(t.chatId, t.lastReplySeq)],
);

/**
 * One member's place in one thread: whether they follow it (its replies count as unread for
 * them and reach them) and how far they have read it. Seen and written only by that member.
 */
export const threadMembers = pgTable(
  "thread_members",
  {
    rootId: uuid("rootId")
      .notNull()
      .references(() => messages.id, { onDelete: "cascade" }),
    userId: uuid("userId")
      .notNull()
      .references(() => user.id, { onDelete: "cascade" }),
    chatId: uuid("chatId")
      .notNull()
      .references(() => chats.id, { onDelete: "cascade" }),
    following: boolean("following").notNull().default(true),
    lastReadSeq: seq("lastReadSeq").notNull().default(0),
  },
  (t) => [
    primaryKey({ name: "thread_members_pkey", columns: [t.rootId, t.userId] }),
    index("idx_thread_members_user_chat").on(t.userId, t.chatId),
  ],
);
