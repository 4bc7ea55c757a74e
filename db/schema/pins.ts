import { index, pgTable, primaryKey, uuid } from "drizzle-orm/pg-core";
import { user } from "./auth";
import { chats, messages } from "./chat";
import { timestamptz } from "./columns";

/**
 * A message pinned to its chat, for all its members (drizzle/0026). The chat, the pinner and
 * the time are set by the database from the message and the caller.
 */
export const messagePins = pgTable(
  "message_pins",
  {
    messageId: uuid("messageId")
      .primaryKey()
      .references(() => messages.id, { onDelete: "cascade" }),
    chatId: uuid("chatId")
      .notNull()
      .references(() => chats.id, { onDelete: "cascade" }),
    pinnedBy: uuid("pinnedBy").references(() => user.id, { onDelete: "set null" }),
    pinnedAt: timestamptz("pinnedAt").notNull().defaultNow(),
  },
  (t) => [
    index("idx_message_pins_chat_id").on(t.chatId, t.pinnedAt),
    index("idx_message_pins_pinned_by").on(t.pinnedBy),
  ],
);

/** A message one person saved for later, seen only by them while they are in its chat. */
export const savedMessages = pgTable(
  "saved_messages",
  {
    userId: uuid("userId")
      .notNull()
      .references(() => user.id, { onDelete: "cascade" }),
    messageId: uuid("messageId")
      .notNull()
      .references(() => messages.id, { onDelete: "cascade" }),
    chatId: uuid("chatId")
      .notNull()
      .references(() => chats.id, { onDelete: "cascade" }),
    savedAt: timestamptz("savedAt").notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ name: "saved_messages_pkey", columns: [t.userId, t.messageId] }),
    index("idx_saved_messages_user_saved_at").on(t.userId, t.savedAt),
    index("idx_saved_messages_message_id").on(t.messageId),
    index("idx_saved_messages_chat_id").on(t.chatId, t.userId),
  ],
);
