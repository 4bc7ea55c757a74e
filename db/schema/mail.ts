import { index, pgTable, text } from "drizzle-orm/pg-core";
import { createdAt, id, jsonb } from "./columns";

/**
 * Outgoing mail kept in the database when no SMTP server is configured, readable at
 * `/dev/mailbox`. Owner connection only: request roles have no grants and RLS has no policies.
 */
export const devMailbox = pgTable(
  "dev_mailbox",
  {
    id: id(),
    to: text("to").notNull(),
    subject: text("subject").notNull(),
    text: text("text").notNull(),
    html: text("html"),
    /** Headers beyond the usual ones (List-Unsubscribe), as sent. */
    headers: jsonb("headers"),
    createdAt: createdAt(),
  },
  (t) => [index("idx_dev_mailbox_to_created_at").on(t.to, t.createdAt)],
);
