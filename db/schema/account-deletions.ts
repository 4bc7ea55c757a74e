import { sql } from "drizzle-orm";
import { check, index, integer, pgTable, text, uuid } from "drizzle-orm/pg-core";
import { user } from "./auth";
import { timestamptz } from "./columns";

/**
 * Accounts waiting to be erased (drizzle/0049_account_deletion.sql): one row a person, read
 * under RLS by them and by site admins, written only by the scheduling functions, a sign-in
 * (which cancels it) and the erasure worker.
 */
export const accountDeletions = pgTable(
  "account_deletions",
  {
    userId: uuid("userId")
      .primaryKey()
      .references(() => user.id, { onDelete: "cascade" }),
    requestedBy: uuid("requestedBy").references(() => user.id, { onDelete: "set null" }),
    messages: text("messages", { enum: ["keep", "blank"] }).notNull(),
    requestedAt: timestamptz("requestedAt").notNull().defaultNow(),
    eraseAfter: timestamptz("eraseAfter").notNull(),
    attempts: integer("attempts").notNull().default(0),
    error: text("error"),
  },
  (t) => [
    index("idx_account_deletions_erase_after").on(t.eraseAfter),
    check("account_deletions_messages", sql`${t.messages} IN ('keep', 'blank')`),
    check("account_deletions_attempts", sql`${t.attempts} >= 0`),
    check("account_deletions_error", sql`char_length(${t.error}) <= 2000`),
  ],
);
