import { sql } from "drizzle-orm";
import { bigint, check, index, pgTable, primaryKey, text, uuid } from "drizzle-orm/pg-core";
import { MENTION_KINDS } from "@/contracts/enums";
import { user } from "./auth";
import { chats, messages } from "./chat";
import { timestamptz } from "./columns";

/**
 * Who a message mentions (drizzle/0044_mentions.sql): one row per mentioned member, written
 * by the database from the message's `<@…>` tokens and rewritten when its text changes. Each
 * person reads only their own, in the chats they are in.
 */
export const messageMentions = pgTable(
  "message_mentions",
  {
    messageId: uuid("messageId")
      .notNull()
      .references(() => messages.id, { onDelete: "cascade" }),
    userId: uuid("userId")
      .notNull()
      .references(() => user.id, { onDelete: "cascade" }),
    chatId: uuid("chatId")
      .notNull()
      .references(() => chats.id, { onDelete: "cascade" }),
    seq: bigint("seq", { mode: "number" }).notNull(),
    threadRootId: uuid("threadRootId").references(() => messages.id, { onDelete: "cascade" }),
    /** `user`: named; `channel`: everyone; `here`: everyone online at delivery. */
    kind: text("kind", { enum: MENTION_KINDS }).notNull(),
    createdAt: timestamptz("createdAt").notNull(),
  },
  (t) => [
    primaryKey({ name: "message_mentions_pkey", columns: [t.messageId, t.userId] }),
    index("idx_message_mentions_user_created_at").on(t.userId, t.createdAt.desc(), t.messageId),
    index("idx_message_mentions_chat_user_seq").on(t.chatId, t.userId, t.seq),
    check("message_mentions_kind", sql`${t.kind} IN ('user', 'here', 'channel')`),
  ],
);
