import { sql } from "drizzle-orm";
import { check, index, integer, pgTable, text, uuid } from "drizzle-orm/pg-core";
import { apiKeys } from "./api-keys";
import { user } from "./auth";
import { createdAt, id, jsonb } from "./columns";

/**
 * One row per REST v1 request and per security-relevant mutation (seed 004); requests without
 * a valid key are counted in aggregate rows (`requestCount`).
 */
export const apiAuditLogs = pgTable(
  "api_audit_logs",
  {
    id: id(),
    apiKeyId: uuid("apiKeyId").references(() => apiKeys.id, { onDelete: "set null" }),
    /** Whose trail this row belongs to (the key owner; the user an action was done to). */
    userId: uuid("userId").references(() => user.id, { onDelete: "set null" }),
    /** Who acted, when not the user themself (an admin revoking someone's key). */
    actorId: uuid("actorId").references(() => user.id, { onDelete: "set null" }),
    endpoint: text("endpoint").notNull(),
    method: text("method").notNull(),
    statusCode: integer("statusCode").notNull(),
    responseTime: integer("responseTime"),
    ipAddress: text("ipAddress"),
    userAgent: text("userAgent"),
    /** What a TRPC row did: the action and its subject (never a secret). */
    details: jsonb("details"),
    /**
     * How many requests the row stands for: 1, except for REST requests without a valid key,
     * written one row per endpoint, status, address and key id presented per window.
     */
    requestCount: integer("requestCount").notNull().default(1),
    createdAt: createdAt(),
  },
  (t) => [
    index("idx_api_audit_logs_user_id").on(t.userId),
    index("idx_api_audit_logs_api_key_id").on(t.apiKeyId),
    index("idx_api_audit_logs_created_at").on(t.createdAt),
    index("idx_api_audit_logs_user_id_created_at").on(t.userId, t.createdAt),
    check("api_audit_logs_request_count_positive", sql`${t.requestCount} >= 1`),
  ],
);
