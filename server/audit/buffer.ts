import "server-only";

import { env } from "@/server/env";
import { normalizeAuditEntry, type AuditEntry } from "./entry";

export type { AuditEntry } from "./entry";

/**
 * The audit queue. Request code only appends here — it never waits for, or touches, the
 * database: the audit flusher (server/jobs/audit-flush.ts) writes the rows in batches on the
 * owner connection. Entries are made storable before they are queued (normalize.ts), and the
 * queue holds at most `AUDIT_QUEUE_MAX`: past it, new entries are shed and counted.
 */

let entries: AuditEntry[] = [];
let shed = 0;
let capacity = env.AUDIT_QUEUE_MAX;
const listeners = new Set<(pending: number) => void>();

export function recordAudit(entry: Omit<AuditEntry, "createdAt"> & { createdAt?: Date }): void {
  if (entries.length >= capacity) {
    shed++;
    return;
  }
  entries.push(normalizeAuditEntry({ ...entry, createdAt: entry.createdAt ?? new Date() }));
  for (const listener of listeners) listener(entries.length);
}

/** Takes up to `max` entries off the front of the queue. */
export function takeAudit(max: number): AuditEntry[] {
  return entries.splice(0, max);
}

/**
 * Puts entries whose write has to wait (the database is away) back at the front, in their
 * order. They were counted in already, so the bound does not shed them.
 */
export function returnAudit(unwritten: AuditEntry[]): void {
  entries = unwritten.concat(entries);
}

export function pendingAudit(): number {
  return entries.length;
}

/** How many entries were shed since the last call (the flusher logs them). */
export function takeShedCount(): number {
  const count = shed;
  shed = 0;
  return count;
}

/** Tests: a smaller bound, and back to the setting with `undefined`. */
export function setAuditCapacityForTests(max: number | undefined): void {
  capacity = max ?? env.AUDIT_QUEUE_MAX;
}

/** Called with the queue length after every append (the flusher flushes early when full). */
export function onAuditRecorded(listener: (pending: number) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
