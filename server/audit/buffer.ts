import "server-only";

/**
 * The audit queue. Request code only appends here — it never waits for, or touches, the
 * database: the audit flusher (server/jobs/audit-flush.ts) writes the rows in batches on the
 * owner connection.
 */
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
  createdAt: Date;
}

const entries: AuditEntry[] = [];
const listeners = new Set<(pending: number) => void>();

export function recordAudit(entry: Omit<AuditEntry, "createdAt"> & { createdAt?: Date }): void {
  entries.push({ ...entry, createdAt: entry.createdAt ?? new Date() });
  for (const listener of listeners) listener(entries.length);
}

/** Takes up to `max` entries off the front of the queue. */
export function takeAudit(max: number): AuditEntry[] {
  return entries.splice(0, max);
}

/** Puts entries whose write failed back at the front, in their order, to be retried. */
export function returnAudit(entries: AuditEntry[]): void {
  entries.unshift(...entries);
}

export function pendingAudit(): number {
  return entries.length;
}

/** Called with the queue length after every append (the flusher flushes early when full). */
export function onAuditRecorded(listener: (pending: number) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
