import "server-only";

import { recordAudit, type AuditEntry } from "./buffer";

/**
 * REST requests without a valid key — none, a malformed or unknown one, a wrong secret — are
 * anyone's to send, as many as they like. Each still counts, but they are written as one audit
 * row per endpoint, method, status, address and presented key id per window, its
 * `requestCount` saying how many it stands for: a flood grows the table by a row a minute,
 * not a row a request, and every count stays exact.
 */

type KeylessEntry = Omit<AuditEntry, "createdAt" | "requestCount">;

interface Group {
  entry: KeylessEntry;
  firstAt: Date;
  lastAt: Date;
  count: number;
  slowestMs: number | null;
}

/** Distinct groups held per window; past it, a request joins its endpoint's catch-all group. */
export const KEYLESS_GROUPS_MAX = 10_000;

const groups = new Map<string, Group>();

const groupKey = (e: KeylessEntry) =>
  JSON.stringify([e.endpoint, e.method, e.statusCode, e.ipAddress, e.apiKeyId]);

export function recordKeylessAudit(entry: KeylessEntry, at = new Date()): void {
  let key = groupKey(entry);
  let group = groups.get(key);
  if (!group && groups.size >= KEYLESS_GROUPS_MAX) {
    // Too many addresses or key ids at once: counted per endpoint and status alone.
    const other = { ...entry, ipAddress: null, apiKeyId: null, userAgent: null };
    key = groupKey(other);
    group = groups.get(key);
    entry = other;
  }
  if (group) {
    group.count++;
    group.lastAt = at;
    if (entry.responseTime !== null) {
      group.slowestMs = Math.max(group.slowestMs ?? 0, entry.responseTime);
    }
    return;
  }
  groups.set(key, {
    entry,
    firstAt: at,
    lastAt: at,
    count: 1,
    slowestMs: entry.responseTime,
  });
}

/**
 * Queues one audit row per group of the window now closing (dated at its first request) and
 * starts the next window. Returns how many requests the rows stand for.
 */
export function closeKeylessWindow(): number {
  let requests = 0;
  for (const group of groups.values()) {
    requests += group.count;
    recordAudit({
      ...group.entry,
      // The slowest of the group: one number that still says whether any was slow.
      responseTime: group.slowestMs,
      requestCount: group.count,
      details:
        group.count > 1
          ? { ...group.entry.details, lastAt: group.lastAt.toISOString() }
          : group.entry.details,
      createdAt: group.firstAt,
    });
  }
  groups.clear();
  return requests;
}
