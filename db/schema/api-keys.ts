import { sql } from "drizzle-orm";
import {
  boolean,
  check,
  index,
  integer,
  pgTable,
  text,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { user } from "./auth";
import { organization } from "./workspaces";
import { createdAt, id, timestamptz, updatedAt } from "./columns";

/**
 * API keys for REST v1 (seed 004). `key` is the SHA-256 hex of the whole secret: the secret
 * itself is shown once at creation and never stored. `prefix` is the public id used to find
 * the row in one indexed lookup.
 */
export const apiKeys = pgTable(
  "api_keys",
  {
    id: id(),
    userId: uuid("userId")
      .notNull()
      .references(() => user.id, { onDelete: "cascade" }),
    /** The workspace the key works in: the one it was made in (drizzle/0036_chat_workspaces.sql). */
    organizationId: uuid("organizationId")
      .notNull()
      .default(sql`public.get_current_tenant_id()`)
      .references(() => organization.id),
    name: text("name").notNull(),
    key: text("key").notNull().unique(),
    prefix: text("prefix").notNull(),
    scopes: text("scopes")
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    /** Requests per minute for this key; null means the server's default. */
    rateLimit: integer("rateLimit"),
    lastUsed: timestamptz("lastUsed"),
    expiresAt: timestamptz("expiresAt"),
    revoked: boolean("revoked").notNull().default(false),
    revokedAt: timestamptz("revokedAt"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index("idx_api_keys_user_id").on(t.userId),
    uniqueIndex("idx_api_keys_prefix").on(t.prefix),
    check("api_keys_rate_limit", sql`${t.rateLimit} between 1 and 100000`),
    check("api_keys_scopes_not_empty", sql`cardinality(${t.scopes}) > 0`),
  ],
);
