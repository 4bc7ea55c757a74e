import { index, integer, pgTable, text, uuid } from "drizzle-orm/pg-core";
import { apiKeys } from "./api-keys";
import { user } from "./auth";
import { createdAt, id, jsonb } from "./columns";

/** One row per REST v1 request and per security-relevant mutation (seed 004). */
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
    createdAt: createdAt(),
  },
  (t) => [
    index("idx_api_audit_logs_user_id").on(t.userId),
    index("idx_api_audit_logs_api_key_id").on(t.apiKeyId),
    index("idx_api_audit_logs_created_at").on(t.createdAt),
    index("idx_api_audit_logs_user_id_created_at").on(t.userId, t.createdAt),
  ],
);
