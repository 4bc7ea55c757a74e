import { sql } from "drizzle-orm";
import { check, pgTable, text, uuid } from "drizzle-orm/pg-core";
import { user } from "./auth";
import { timestamptz } from "./columns";

/** A person's custom status (drizzle/0030), seen with their name until it expires. */
export const userStatuses = pgTable(
  "user_statuses",
  {
    userId: uuid("userId")
      .primaryKey()
      .references(() => user.id, { onDelete: "cascade" }),
    emoji: text("emoji"),
    text: text("text").notNull().default(""),
    expiresAt: timestamptz("expiresAt"),
    updatedAt: timestamptz("updatedAt").notNull().defaultNow(),
  },
  (t) => [
    check(
      "user_statuses_emoji",
      sql`${t.emoji} IS NULL OR (char_length(${t.emoji}) BETWEEN 1 AND 32 AND ${t.emoji} !~ '\\s')`,
    ),
    check(
      "user_statuses_text",
      sql`char_length(${t.text}) <= 100 AND ${t.text} !~ '[\\x01-\\x1f\\x7f]'`,
    ),
    check(
      "user_statuses_not_empty",
      sql`${t.emoji} IS NOT NULL OR char_length(btrim(${t.text})) > 0`,
    ),
  ],
);
