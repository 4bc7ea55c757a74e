import "server-only";

import { isUuid } from "@/contracts/uuid";
import { storableJson, storableText } from "@/server/storable-json";

/** One row of `api_audit_logs`, as the audit queue holds it. */
export interface AuditEntry {
  apiKeyId: string | null;
  userId: string | null;
  actorId: string | null;
  endpoint: string;
  method: string;
  statusCode: number;
  responseTime: number | null;
  ipAddress: string | null;
  userAgent: string | null;
  details: Record<string, unknown> | null;
  /** How many requests the row stands for (aggregated key-less requests); 1 when absent. */
  requestCount?: number;
  createdAt: Date;
}

/** The longest `details` kept, as JSON text; larger ones keep only their action. */
export const AUDIT_DETAILS_MAX_CHARS = 8_000;

const LIMITS = { endpoint: 1_000, method: 16, ipAddress: 64, userAgent: 512 } as const;

/**
 * An audit entry every value of which the `api_audit_logs` columns accept, made before the
 * entry is queued: a row the database would refuse (an id that is not a UUID, a NUL byte, an
 * out-of-range number) would otherwise fail every batch it is in. What could not be kept as
 * given is said in `details` (`unverifiedIds`, `detailsTruncated`), never silently lost.
 */
export function normalizeAuditEntry(entry: AuditEntry): AuditEntry {
  const unverified: Record<string, string> = {};
  const idOrNull = (name: string, value: string | null): string | null => {
    if (value === null || isUuid(value)) return value;
    unverified[name] = storableText(String(value), 64);
    return null;
  };
  const apiKeyId = idOrNull("apiKeyId", entry.apiKeyId);
  const userId = idOrNull("userId", entry.userId);
  const actorId = idOrNull("actorId", entry.actorId);

  let details: Record<string, unknown> | null = null;
  if (entry.details !== null) {
    const stored = storableJson(entry.details, AUDIT_DETAILS_MAX_CHARS);
    if (stored !== null && typeof stored === "object" && !Array.isArray(stored)) {
      details = stored as Record<string, unknown>;
    } else {
      const action = typeof entry.details.action === "string" ? entry.details.action : null;
      details = { action: action && storableText(action, 100), detailsTruncated: true };
    }
  }
  if (Object.keys(unverified).length > 0) details = { ...details, unverifiedIds: unverified };

  const text = (value: string | null, max: number) =>
    value === null ? null : storableText(String(value), max);
  const validDate = entry.createdAt instanceof Date && !Number.isNaN(entry.createdAt.getTime());
  return {
    apiKeyId,
    userId,
    actorId,
    endpoint: storableText(String(entry.endpoint), LIMITS.endpoint),
    method: storableText(String(entry.method), LIMITS.method),
    statusCode:
      Number.isInteger(entry.statusCode) && entry.statusCode >= 0 && entry.statusCode < 1000
        ? entry.statusCode
        : 0,
    responseTime:
      Number.isFinite(entry.responseTime) && entry.responseTime !== null
        ? Math.min(Math.max(Math.round(entry.responseTime), 0), 2_147_483_647)
        : null,
    ipAddress: text(entry.ipAddress, LIMITS.ipAddress),
    userAgent: text(entry.userAgent, LIMITS.userAgent),
    details,
    requestCount:
      Number.isInteger(entry.requestCount) && entry.requestCount! >= 1
        ? Math.min(entry.requestCount!, 2_147_483_647)
        : 1,
    createdAt: validDate ? entry.createdAt : new Date(),
  };
}
