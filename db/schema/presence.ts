import { sql } from "drizzle-orm";
import { boolean, check, pgTable, text, uuid } from "drizzle-orm/pg-core";
import { user } from "./auth";
import { timestamptz } from "./columns";

/**
 * A person's own choices about where and when they are (drizzle/0032): their time zone,
 * kept only while they share their local time, and whether they show when they were last
 * seen. Seen by whoever may see the person; written only by them.
 */
export const userPresence = pgTable(
  "user_presence",
  {
    userId: uuid("userId")
      .primaryKey()
      .references(() => user.id, { onDelete: "cascade" }),
    timeZone: text("timeZone"),
    shareLocalTime: boolean("shareLocalTime").notNull().default(true),
    showLastSeen: boolean("showLastSeen").notNull().default(true),
    updatedAt: timestamptz("updatedAt").notNull().defaultNow(),
  },
  (t) => [
    check(
      "user_presence_time_zone",
      sql`${t.timeZone} IS NULL OR char_length(${t.timeZone}) BETWEEN 1 AND 64`,
    ),
  ],
);

/**
 * When someone was last online, as the realtime gateway saw their connections come and go;
 * seen two-way (drizzle/0032).
 */
export const userLastSeen = pgTable("user_last_seen", {
  userId: uuid("userId")
    .primaryKey()
    .references(() => user.id, { onDelete: "cascade" }),
  lastSeenAt: timestamptz("lastSeenAt").notNull(),
});
