import "server-only";

import type { Database } from "@/db/types";
import { apiAuditLogs } from "@/db/schema";
import {
  onAuditRecorded,
  pendingAudit,
  returnAudit,
  takeAudit,
  type AuditEntry,
} from "@/server/audit/buffer";

function isForeignKeyViolation(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && depth < 5; depth++) {
    if (typeof e === "object" && "code" in e && e.code === "23503") return true;
    e = typeof e === "object" && "cause" in e ? e.cause : undefined;
  }
  return false;
}

export interface AuditFlusherOptions {
  intervalMs?: number;
  batchSize?: number;
  onError?: (error: unknown) => void;
}

/**
 * The audit flush job: writes queued audit rows in batches (every `intervalMs`, or as soon as
 * `batchSize` are waiting) on the owner connection, because audit rows are not writable by
 * request roles. A failed write puts the batch back to be retried, never dropped.
 */
export function createAuditFlusher(db: Database, options: AuditFlusherOptions = {}) {
  const intervalMs = options.intervalMs ?? 250;
  const batchSize = options.batchSize ?? 100;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<number> | undefined;
  let stopListening: (() => void) | undefined;

  /** Writes a batch; returns the entries that could not be written (to be retried). */
  async function writeBatch(
    batch: AuditEntry[],
  ): Promise<{ failed: AuditEntry[]; error?: unknown }> {
    try {
      await db.insert(apiAuditLogs).values(batch);
      return { failed: [] };
    } catch (error) {
      const [entry] = batch;
      if (batch.length === 1 && entry) {
        // The key or user was deleted before the row was written: keep the row, drop the link.
        if (isForeignKeyViolation(error) && (entry.apiKeyId || entry.userId || entry.actorId)) {
          return writeBatch([{ ...entry, apiKeyId: null, userId: null, actorId: null }]);
        }
        return { failed: batch, error };
      }
      // One bad row must not hold up the others: write them one by one.
      const failed: AuditEntry[] = [];
      let lastError: unknown = error;
      for (const single of batch) {
        const result = await writeBatch([single]);
        failed.push(...result.failed);
        if (result.error) lastError = result.error;
      }
      return failed.length ? { failed, error: lastError } : { failed };
    }
  }

  async function writeBatches(): Promise<number> {
    let written = 0;
    while (pendingAudit() > 0) {
      const batch = takeAudit(batchSize);
      const { failed, error } = await writeBatch(batch);
      written += batch.length - failed.length;
      if (failed.length) {
        returnAudit(failed);
        throw error;
      }
    }
    return written;
  }

  /** Writes everything queued; concurrent calls share one run. */
  function flush(): Promise<number> {
    running ??= writeBatches().finally(() => {
      running = undefined;
    });
    return running;
  }

  const tick = () => {
    flush().catch((error: unknown) => options.onError?.(error));
  };

  return {
    flush,
    start() {
      timer ??= setInterval(tick, intervalMs);
      timer.unref();
      stopListening ??= onAuditRecorded((pending) => {
        if (pending >= batchSize) tick();
      });
    },
    /** Stops the timer and writes what is left (graceful shutdown). */
    async stop(): Promise<number> {
      if (timer) clearInterval(timer);
      timer = undefined;
      stopListening?.();
      stopListening = undefined;
      await running?.catch(() => undefined);
      return flush();
    },
  };
}

export type AuditFlusher = ReturnType<typeof createAuditFlusher>;
