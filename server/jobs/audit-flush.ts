import "server-only";

import { isConnectionError } from "@/db/connection-loss";
import type { Database } from "@/db/types";
import { apiAuditLogs } from "@/db/schema";
import {
  onAuditRecorded,
  pendingAudit,
  returnAudit,
  takeAudit,
  takeShedCount,
  type AuditEntry,
} from "@/server/audit/buffer";
import { closeKeylessWindow } from "@/server/audit/keyless";
import { sqlState } from "@/server/errors";
import { setAside } from "./dead-letters";

/** The longest wait between attempts while the database is away. */
const MAX_BACKOFF_MS = 30_000;

export interface AuditFlusherOptions {
  intervalMs?: number;
  /** How long key-less REST requests are counted into one row (server/audit/keyless.ts). */
  keylessWindowMs?: number;
  batchSize?: number;
  onError?: (error: unknown) => void;
  /** Told how many entries the queue's bound shed since it was last told. */
  onShed?: (count: number) => void;
  /** Told of each entry set aside in `dead_letters` because the database refused it. */
  onSetAside?: (entry: AuditEntry, error: unknown) => void;
}

/** Why the database is unreachable, when a write failed for that reason. */
class DatabaseAway extends Error {
  constructor(override readonly cause: unknown) {
    super("the database is unreachable", { cause });
  }
}

/**
 * The audit flush job: writes queued audit rows in batches (every `intervalMs`, or as soon as
 * `batchSize` are waiting) on the owner connection, because audit rows are not writable by
 * request roles.
 *
 * - The database away: the batch goes back to the front of the queue and the job waits
 *   longer before each attempt (up to `MAX_BACKOFF_MS`); nothing is lost.
 * - The database refusing a row (a value it will not store): the row is set aside in
 *   `dead_letters` with the error, and the rows behind it are written — one bad row never
 *   blocks the queue. A row whose key or user was deleted meanwhile is written without the link.
 */
export function createAuditFlusher(db: Database, options: AuditFlusherOptions = {}) {
  const intervalMs = options.intervalMs ?? 250;
  const batchSize = options.batchSize ?? 100;
  const keylessWindowMs = options.keylessWindowMs ?? 60_000;
  let keylessWindowEnds = Date.now() + keylessWindowMs;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<number> | undefined;
  let stopListening: (() => void) | undefined;
  let backoffMs = 0;
  let notBefore = 0;

  async function insert(batch: AuditEntry[]): Promise<void> {
    try {
      await db.insert(apiAuditLogs).values(batch);
    } catch (error) {
      throw isConnectionError(error) ? new DatabaseAway(error) : error;
    }
  }

  /** One entry the batch insert refused: written without its links, or set aside. */
  async function writeAlone(entry: AuditEntry): Promise<void> {
    try {
      await insert([entry]);
      return;
    } catch (error) {
      if (error instanceof DatabaseAway) throw error;
      if (sqlState(error) === "23503" && (entry.apiKeyId || entry.userId || entry.actorId)) {
        return writeAlone({ ...entry, apiKeyId: null, userId: null, actorId: null });
      }
      try {
        await setAside(db, "audit", entry, error);
      } catch (asideError) {
        throw isConnectionError(asideError) ? new DatabaseAway(asideError) : asideError;
      }
      options.onSetAside?.(entry, error);
    }
  }

  /** Writes a batch; on a refusal, one entry at a time so the others still go in. */
  async function writeBatch(batch: AuditEntry[]): Promise<void> {
    try {
      await insert(batch);
      return;
    } catch (error) {
      if (error instanceof DatabaseAway) throw error;
    }
    for (let i = 0; i < batch.length; i++) {
      try {
        await writeAlone(batch[i]!);
      } catch (error) {
        // What is not written yet waits for the database, in order.
        if (error instanceof DatabaseAway) throw Object.assign(error, { rest: batch.slice(i) });
        throw error;
      }
    }
  }

  async function writeBatches(): Promise<number> {
    const shed = takeShedCount();
    if (shed > 0) options.onShed?.(shed);
    let written = 0;
    while (pendingAudit() > 0) {
      const batch = takeAudit(batchSize);
      try {
        await writeBatch(batch);
      } catch (error) {
        const rest = (error as { rest?: AuditEntry[] }).rest ?? batch;
        returnAudit(rest);
        if (error instanceof DatabaseAway) {
          backoffMs = Math.min(Math.max(backoffMs * 2, intervalMs), MAX_BACKOFF_MS);
          notBefore = Date.now() + backoffMs;
          throw error.cause;
        }
        throw error;
      }
      written += batch.length;
    }
    backoffMs = 0;
    notBefore = 0;
    return written;
  }

  /** Writes what is queued; concurrent calls share one run. */
  function writeQueued(): Promise<number> {
    running ??= writeBatches().finally(() => {
      running = undefined;
    });
    return running;
  }

  /** Writes everything: what is queued, and the key-less requests counted so far. */
  function flush(): Promise<number> {
    closeKeylessWindow();
    keylessWindowEnds = Date.now() + keylessWindowMs;
    return writeQueued();
  }

  const tick = () => {
    if (Date.now() >= keylessWindowEnds) {
      closeKeylessWindow();
      keylessWindowEnds = Date.now() + keylessWindowMs;
    }
    if (Date.now() < notBefore) return;
    writeQueued().catch((error: unknown) => options.onError?.(error));
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
    /**
     * Stops the timer and writes what is left (graceful shutdown), trying until `deadlineMs`
     * has passed. Returns how many were written and how many could not be.
     */
    async stop(deadlineMs = 5_000): Promise<{ written: number; unwritten: number }> {
      if (timer) clearInterval(timer);
      timer = undefined;
      stopListening?.();
      stopListening = undefined;
      const deadline = Date.now() + deadlineMs;
      await running?.catch(() => undefined);
      closeKeylessWindow();
      let written = 0;
      while (pendingAudit() > 0 && Date.now() < deadline) {
        written += await writeQueued().catch(async () => {
          await new Promise((resolve) => setTimeout(resolve, Math.min(250, deadline - Date.now())));
          return 0;
        });
      }
      return { written, unwritten: pendingAudit() };
    },
  };
}

export type AuditFlusher = ReturnType<typeof createAuditFlusher>;
