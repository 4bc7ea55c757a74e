import { index, integer, pgTable, text, uuid } from "drizzle-orm/pg-core";
import { apiKeys } from "./api-keys";
import { user } from "./auth";
import { createdAt, id } from "./columns";

/** One row per REST v1 request and per security-relevant mutation (seed 004). */
export const apiAuditLogs = pgTable(
  "api_audit_logs",
  {
    id: id(),
    apiKeyId: uuid("apiKeyId").references(() => apiKeys.id, { onDelete: "set null" }),
    userId: uuid("userId").references(() => user.id, { onDelete: "set null" }),
    endpoint: text("endpoint").notNull(),
    method: text("method").notNull(),
    statusCode: integer("statusCode").notNull(),
    responseTime: integer("responseTime"),
    ipAddress: text("ipAddress"),
    userAgent: text("userAgent"),
    createdAt: createdAt(),
  },
  (t) => [
    index("idx_api_audit_logs_user_id").on(t.userId),
    index("idx_api_audit_logs_api_key_id").on(t.apiKeyId),
    index("idx_api_audit_logs_created_at").on(t.createdAt),
  ],
);
