import { sql } from "drizzle-orm";
import {
  bigint,
  check,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  unique,
  uuid,
} from "drizzle-orm/pg-core";
import { PUSH_DELIVERY_STATUSES } from "@/contracts/enums";
import { user } from "./auth";
import { messages } from "./chat";
import { timestamptz } from "./columns";

/**
 * The notification pipeline's tables (drizzle/0045_notifications.sql). Jobs, deliveries and
 * digest items are the server's bookkeeping on the owner connection; push subscriptions are
 * each person's own (read and removed under RLS, added through `save_push_subscription`).
 */

/** One per new message, queued in the sender's transaction: who hears of it is decided later. */
export const notificationJobs = pgTable(
  "notification_jobs",
  {
    messageId: uuid("messageId")
      .primaryKey()
      .references(() => messages.id, { onDelete: "cascade" }),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: timestamptz("nextAttemptAt").notNull().defaultNow(),
    createdAt: timestamptz("createdAt").notNull().defaultNow(),
  },
  (t) => [
    index("idx_notification_jobs_next_attempt_at").on(t.nextAttemptAt),
    check("notification_jobs_attempts", sql`${t.attempts} >= 0`),
  ],
);

export const pushSubscriptions = pgTable(
  "push_subscriptions",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("userId")
      .notNull()
      .references(() => user.id, { onDelete: "cascade" }),
    endpoint: text("endpoint").notNull(),
    p256dh: text("p256dh").notNull(),
    auth: text("auth").notNull(),
    userAgent: text("userAgent"),
    createdAt: timestamptz("createdAt").notNull().defaultNow(),
    lastSuccessAt: timestamptz("lastSuccessAt"),
  },
  (t) => [
    unique("push_subscriptions_endpoint_unique").on(t.endpoint),
    index("idx_push_subscriptions_user_id").on(t.userId),
    check(
      "push_subscriptions_endpoint",
      sql`char_length(${t.endpoint}) <= 2048 AND ${t.endpoint} ~ '^https?://'`,
    ),
    check("push_subscriptions_p256dh", sql`${t.p256dh} ~ '^[A-Za-z0-9_-]{87}$'`),
    check("push_subscriptions_auth", sql`${t.auth} ~ '^[A-Za-z0-9_-]{22}$'`),
    check("push_subscriptions_user_agent", sql`char_length(${t.userAgent}) <= 300`),
  ],
);

export const pushDeliveries = pgTable(
  "push_deliveries",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    subscriptionId: uuid("subscriptionId")
      .notNull()
      .references(() => pushSubscriptions.id, { onDelete: "cascade" }),
    userId: uuid("userId")
      .notNull()
      .references(() => user.id, { onDelete: "cascade" }),
    messageId: uuid("messageId")
      .notNull()
      .references(() => messages.id, { onDelete: "cascade" }),
    status: text("status", { enum: PUSH_DELIVERY_STATUSES }).notNull().default("queued"),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: timestamptz("nextAttemptAt").notNull().defaultNow(),
    createdAt: timestamptz("createdAt").notNull().defaultNow(),
    settledAt: timestamptz("settledAt"),
  },
  (t) => [
    unique("push_deliveries_unique").on(t.subscriptionId, t.messageId),
    index("idx_push_deliveries_queued")
      .on(t.nextAttemptAt)
      .where(sql`${t.status} = 'queued'`),
    index("idx_push_deliveries_user_created_at").on(t.userId, t.createdAt),
    check("push_deliveries_status", sql`${t.status} IN ('queued', 'sent', 'failed')`),
  ],
);

export const digestItems = pgTable(
  "digest_items",
  {
    userId: uuid("userId")
      .notNull()
      .references(() => user.id, { onDelete: "cascade" }),
    messageId: uuid("messageId")
      .notNull()
      .references(() => messages.id, { onDelete: "cascade" }),
    createdAt: timestamptz("createdAt").notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ name: "digest_items_pkey", columns: [t.userId, t.messageId] }),
    index("idx_digest_items_created_at").on(t.createdAt),
  ],
);

export const digestState = pgTable("digest_state", {
  userId: uuid("userId")
    .primaryKey()
    .references(() => user.id, { onDelete: "cascade" }),
  lastSentAt: timestamptz("lastSentAt").notNull(),
});
