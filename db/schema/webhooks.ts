import { sql } from "drizzle-orm";
import { bigint, boolean, index, integer, pgTable, text, unique, uuid } from "drizzle-orm/pg-core";
import { user } from "./auth";
import { id, jsonb, timestamptz } from "./columns";
import { organization } from "./workspaces";

/**
 * Outgoing webhooks (drizzle/0051_webhooks.sql): endpoints, managed under RLS by their owner
 * (a person, or a workspace's owners and admins), and their deliveries, queued by triggers in
 * the transaction of the change and sent by the worker on the owner connection.
 */
export const webhookEndpoints = pgTable(
  "webhook_endpoints",
  {
    id: id(),
    userId: uuid("userId").references(() => user.id, { onDelete: "cascade" }),
    organizationId: uuid("organizationId").references(() => organization.id, {
      onDelete: "cascade",
    }),
    createdBy: uuid("createdBy").references(() => user.id, { onDelete: "set null" }),
    url: text("url").notNull(),
    description: text("description").notNull().default(""),
    /** `whsec_` and base64; no request role may read it (no column grant). */
    secret: text("secret").notNull(),
    eventTypes: text("eventTypes").array().notNull(),
    enabled: boolean("enabled").notNull().default(true),
    disabledReason: text("disabledReason"),
    disabledAt: timestamptz("disabledAt"),
    consecutiveFailures: integer("consecutiveFailures").notNull().default(0),
    lastSuccessAt: timestamptz("lastSuccessAt"),
    lastFailureAt: timestamptz("lastFailureAt"),
    createdAt: timestamptz("createdAt").notNull().defaultNow(),
    updatedAt: timestamptz("updatedAt").notNull().defaultNow(),
  },
  (t) => [
    index("idx_webhook_endpoints_user_id").on(t.userId),
    index("idx_webhook_endpoints_organization_id").on(t.organizationId),
  ],
);

export const webhookDeliveries = pgTable(
  "webhook_deliveries",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    endpointId: uuid("endpointId")
      .notNull()
      .references(() => webhookEndpoints.id, { onDelete: "cascade" }),
    userId: uuid("userId").references(() => user.id, { onDelete: "cascade" }),
    organizationId: uuid("organizationId").references(() => organization.id, {
      onDelete: "cascade",
    }),
    eventId: uuid("eventId").notNull(),
    eventType: text("eventType").notNull(),
    chatId: uuid("chatId"),
    /** The ids the event is about; the payload is built from them when it is sent. */
    subject: jsonb("subject").notNull(),
    /** What was sent last, as sent. */
    payload: jsonb("payload"),
    status: text("status", { enum: ["pending", "succeeded", "failed", "skipped"] })
      .notNull()
      .default("pending"),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: timestamptz("nextAttemptAt").notNull().defaultNow(),
    lastAttemptAt: timestamptz("lastAttemptAt"),
    responseStatus: integer("responseStatus"),
    lastError: text("lastError"),
    occurredAt: timestamptz("occurredAt").notNull().defaultNow(),
    createdAt: timestamptz("createdAt").notNull().defaultNow(),
    settledAt: timestamptz("settledAt"),
  },
  (t) => [
    unique("webhook_deliveries_once").on(t.endpointId, t.eventId),
    index("idx_webhook_deliveries_pending")
      .on(t.nextAttemptAt)
      .where(sql`${t.status} = 'pending'`),
    index("idx_webhook_deliveries_endpoint_id").on(t.endpointId, t.id),
  ],
);
