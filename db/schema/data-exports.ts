import { sql } from "drizzle-orm";
import {
  bigint,
  check,
  index,
  integer,
  pgTable,
  text,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { DATA_EXPORT_STATUSES } from "@/contracts/enums";
import { user } from "./auth";
import { timestamptz } from "./columns";

/**
 * A person's requests for a copy of their data (drizzle/0048_data_exports.sql). Read under
 * RLS by their owner; added through `request_data_export()`, worked by the export worker on
 * the owner connection.
 */
export const dataExports = pgTable(
  "data_exports",
  {
    id: uuid("id")
      .primaryKey()
      .default(sql`gen_random_uuid()`),
    userId: uuid("userId")
      .notNull()
      .references(() => user.id, { onDelete: "cascade" }),
    status: text("status", { enum: DATA_EXPORT_STATUSES }).notNull().default("queued"),
    progress: integer("progress").notNull().default(0),
    storagePath: text("storagePath"),
    size: bigint("size", { mode: "number" }),
    error: text("error"),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: timestamptz("nextAttemptAt").notNull().defaultNow(),
    leasedUntil: timestamptz("leasedUntil"),
    createdAt: timestamptz("createdAt").notNull().defaultNow(),
    readyAt: timestamptz("readyAt"),
    expiresAt: timestamptz("expiresAt"),
  },
  (t) => [
    index("idx_data_exports_user_id_created_at").on(t.userId, t.createdAt),
    uniqueIndex("idx_data_exports_in_flight")
      .on(t.userId)
      .where(sql`${t.status} IN ('queued', 'running')`),
    index("idx_data_exports_due")
      .on(t.nextAttemptAt)
      .where(sql`${t.status} IN ('queued', 'running')`),
    index("idx_data_exports_expires_at")
      .on(t.expiresAt)
      .where(sql`${t.status} = 'ready'`),
    check(
      "data_exports_status",
      sql`${t.status} IN ('queued', 'running', 'ready', 'failed', 'expired')`,
    ),
    check("data_exports_progress", sql`${t.progress} BETWEEN 0 AND 100`),
    check("data_exports_attempts", sql`${t.attempts} >= 0`),
    check("data_exports_size", sql`${t.size} >= 0`),
    check("data_exports_error", sql`char_length(${t.error}) <= 2000`),
  ],
);
