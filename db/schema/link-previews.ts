import { sql } from "drizzle-orm";
import { check, index, integer, pgTable, text, uuid } from "drizzle-orm/pg-core";
import { chats, messages } from "./chat";
import { timestamptz } from "./columns";

/**
 * The preview of the first page a message links to (drizzle/0027): written only by the
 * server's preview job, read by the chat's members.
 */
export const messageLinkPreviews = pgTable(
  "message_link_previews",
  {
    messageId: uuid("messageId")
      .primaryKey()
      .references(() => messages.id, { onDelete: "cascade" }),
    chatId: uuid("chatId")
      .notNull()
      .references(() => chats.id, { onDelete: "cascade" }),
    url: text("url").notNull(),
    title: text("title").notNull(),
    description: text("description"),
    siteName: text("siteName"),
    fetchedAt: timestamptz("fetchedAt").notNull().defaultNow(),
  },
  (t) => [
    index("idx_message_link_previews_chat_id").on(t.chatId),
    check(
      "message_link_previews_url",
      sql`char_length(${t.url}) <= 2048 AND ${t.url} ~ '^https?://'`,
    ),
    check("message_link_previews_title", sql`char_length(${t.title}) BETWEEN 1 AND 300`),
    check("message_link_previews_description", sql`char_length(${t.description}) <= 1000`),
    check("message_link_previews_site_name", sql`char_length(${t.siteName}) <= 200`),
  ],
);

/** Previews waiting to be fetched: bookkeeping on the owner connection only. */
export const linkPreviewJobs = pgTable(
  "link_preview_jobs",
  {
    messageId: uuid("messageId")
      .primaryKey()
      .references(() => messages.id, { onDelete: "cascade" }),
    url: text("url").notNull(),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: timestamptz("nextAttemptAt").notNull().defaultNow(),
    createdAt: timestamptz("createdAt").notNull().defaultNow(),
  },
  (t) => [
    index("idx_link_preview_jobs_next_attempt_at").on(t.nextAttemptAt),
    check("link_preview_jobs_url", sql`char_length(${t.url}) <= 2048 AND ${t.url} ~ '^https?://'`),
  ],
);
