/**
 * The audit queue. Request code only appends here — it never waits for, or touches, the
 * database: the audit flusher (server/jobs/audit-flush.ts) writes the rows in batches on the
 * owner connection. Kept on globalThis so route handlers and the Node entry share it.
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

interface AuditQueue {
  entries: AuditEntry[];
  listeners: Set<(pending: number) => void>;
}

const QUEUE = Symbol.for("parley.auditQueue");
type GlobalWithQueue = typeof globalThis & { [QUEUE]?: AuditQueue };
const store = globalThis as GlobalWithQueue;

function queue(): AuditQueue {
  store[QUEUE] ??= { entries: [], listeners: new Set() };
  return store[QUEUE];
}

export function recordAudit(entry: Omit<AuditEntry, "createdAt"> & { createdAt?: Date }): void {
  const q = queue();
  q.entries.push({ ...entry, createdAt: entry.createdAt ?? new Date() });
  for (const listener of q.listeners) listener(q.entries.length);
}

/** Takes up to `max` entries off the front of the queue. */
export function takeAudit(max: number): AuditEntry[] {
  return queue().entries.splice(0, max);
}

/** Puts entries whose write failed back at the front, in their order, to be retried. */
export function returnAudit(entries: AuditEntry[]): void {
  queue().entries.unshift(...entries);
}

export function pendingAudit(): number {
  return queue().entries.length;
}

/** Called with the queue length after every append (the flusher flushes early when full). */
export function onAuditRecorded(listener: (pending: number) => void): () => void {
  queue().listeners.add(listener);
  return () => queue().listeners.delete(listener);
}
