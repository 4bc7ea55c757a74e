import "server-only";

import { sql } from "drizzle-orm";
import { queryRows, toDate } from "@/db/rows";
import type { Database } from "@/db/types";
import { describeError, setAside } from "@/server/jobs/dead-letters";
import type { MailMessage } from "@/server/mail/message";
import type { StorageDriver } from "@/server/storage/driver";
import { writeArchive } from "./archive";
import { collectUserData, COLLECTED_SECTIONS, type CollectedSection } from "./collect";
import { mailExportReady } from "./mail";

/** Tries at one export before it is marked failed and set aside as a dead letter. */
export const DATA_EXPORT_MAX_ATTEMPTS = 3;
/**
 * How long a claimed export is the claimer's: progress renews it, so only a process that
 * stopped (or hangs) loses it, and another one starts the export again.
 */
export const DATA_EXPORT_LEASE_SECONDS = 600;
/** How often a process looks for exports to build. */
const EVERY_MS = 5_000;

/** The wait before try `attempts + 1`: two minutes, then eight, then thirty-two. */
export function dataExportBackoffSeconds(attempts: number): number {
  return 120 * 4 ** Math.max(0, attempts - 1);
}

/** Where an export's archive lives: a private prefix of its own person (the table checks it). */
export const dataExportPath = (userId: string, exportId: string) =>
  `exports/${userId}/${exportId}.zip`;

export interface DataExportDeps {
  /** The owner connection: the queue, sessions and the mail address are closed to requests. */
  db: Database;
  storage: StorageDriver;
  appUrl: string;
  ttlHours: number;
  send: (mail: MailMessage) => Promise<void>;
  /** A mail that could not go out: the archive stays ready and the settings page links it. */
  onMailError?: (error: unknown, exportId: string) => void;
}

export interface DataExportOutcome {
  id: string;
  userId: string;
  result: "ready" | "retry" | "failed" | "gone";
  error?: unknown;
}

interface Claimed {
  id: string;
  userId: string;
  attempts: number;
}

/** Collecting is the first 40 %, copying files up to 95 %, writing the rest. */
const sectionProgress = (section: CollectedSection) =>
  Math.round(((COLLECTED_SECTIONS.indexOf(section) + 1) / COLLECTED_SECTIONS.length) * 40);

async function claim(db: Database): Promise<Claimed | null> {
  const [row] = await queryRows<Claimed>(
    db,
    sql`update public.data_exports e
        set status = 'running', attempts = e.attempts + 1, progress = 0, error = null,
            "leasedUntil" = now() + make_interval(secs => ${DATA_EXPORT_LEASE_SECONDS}),
            "nextAttemptAt" = now() + make_interval(secs => ${DATA_EXPORT_LEASE_SECONDS})
        where e.id = (
          select id from public.data_exports
          where status in ('queued', 'running') and "nextAttemptAt" <= now()
          order by "nextAttemptAt"
          limit 1
          for update skip locked
        )
        returning e.id, e."userId", e.attempts`,
  );
  return row ?? null;
}

/**
 * Saves progress and renews the lease; false when the export is no longer this run's. The
 * try's number (`attempts`, counted up by each claim) is the lease's token: a process that
 * stalled past its lease finds another try under way and stops.
 */
async function report(db: Database, job: Claimed, progress: number): Promise<boolean> {
  const rows = await queryRows<{ id: string }>(
    db,
    sql`update public.data_exports
        set progress = greatest(progress, ${progress}),
            "leasedUntil" = now() + make_interval(secs => ${DATA_EXPORT_LEASE_SECONDS}),
            "nextAttemptAt" = now() + make_interval(secs => ${DATA_EXPORT_LEASE_SECONDS})
        where id = ${job.id}::uuid and status = 'running' and attempts = ${job.attempts}
        returning id`,
  );
  return rows.length > 0;
}

class ExportWithdrawn extends Error {}

async function build(deps: DataExportDeps, job: Claimed): Promise<DataExportOutcome> {
  const { db, storage } = deps;
  const path = dataExportPath(job.userId, job.id);
  let reported = 0;
  const progress = async (value: number) => {
    if (value <= reported) return;
    reported = value;
    if (!(await report(db, job, value))) throw new ExportWithdrawn();
  };
  // What an earlier, interrupted try may have left: storage never overwrites.
  await storage.remove([path]);
  const data = await collectUserData(db, job.userId, (section) =>
    progress(sectionProgress(section)),
  );
  const size = await writeArchive(storage, path, data, {
    exportedAt: new Date(),
    onProgress: (done) => progress(40 + Math.floor(done * 55)),
  });
  const [ready] = await queryRows<{ expiresAt: Date | string }>(
    db,
    sql`update public.data_exports
        set status = 'ready', progress = 100, "storagePath" = ${path}, size = ${size},
            "readyAt" = now(), "expiresAt" = now() + make_interval(hours => ${deps.ttlHours}),
            "leasedUntil" = null, error = null
        where id = ${job.id}::uuid and status = 'running' and attempts = ${job.attempts}
        returning "expiresAt"`,
  );
  if (!ready) throw new ExportWithdrawn();
  try {
    await mailExportReady(db, deps.send, {
      appUrl: deps.appUrl,
      userId: job.userId,
      exportId: job.id,
      expiresAt: toDate(ready.expiresAt),
    });
  } catch (error) {
    deps.onMailError?.(error, job.id);
  }
  return { id: job.id, userId: job.userId, result: "ready" };
}

async function fail(
  deps: DataExportDeps,
  job: Claimed,
  error: unknown,
): Promise<DataExportOutcome> {
  const { db, storage } = deps;
  await storage.remove([dataExportPath(job.userId, job.id)]).catch(() => {});
  if (job.attempts >= DATA_EXPORT_MAX_ATTEMPTS) {
    // Set aside and marked failed together: never a letter for an export still queued.
    await db.transaction(async (tx) => {
      await setAside(
        tx,
        "data_exports",
        { exportId: job.id, userId: job.userId },
        error,
        job.attempts,
      );
      await tx.execute(
        sql`update public.data_exports
            set status = 'failed', progress = 0, "leasedUntil" = null,
                error = ${describeError(error)}
            where id = ${job.id}::uuid and status = 'running' and attempts = ${job.attempts}`,
      );
    });
    return { id: job.id, userId: job.userId, result: "failed", error };
  }
  await db.execute(
    sql`update public.data_exports
        set status = 'queued', progress = 0, "leasedUntil" = null, error = ${describeError(error)},
            "nextAttemptAt" = now() + make_interval(secs => ${dataExportBackoffSeconds(job.attempts)})
        where id = ${job.id}::uuid and status = 'running' and attempts = ${job.attempts}`,
  );
  return { id: job.id, userId: job.userId, result: "retry", error };
}

/**
 * Builds every export that is due, one at a time, until none is left: claimed with
 * `SKIP LOCKED` (instances share the queue) and leased, so a process that stops mid-way
 * leaves it to be built again. A failed try waits longer before the next; after
 * `DATA_EXPORT_MAX_ATTEMPTS` the export is failed and set aside in `dead_letters`. No
 * transaction stays open across the work: collecting reads page by page, and the mail (which
 * may use the database) goes out after the export is marked ready.
 */
export async function runDataExports(deps: DataExportDeps): Promise<DataExportOutcome[]> {
  const outcomes: DataExportOutcome[] = [];
  for (;;) {
    const job = await claim(deps.db);
    if (!job) return outcomes;
    try {
      outcomes.push(await build(deps, job));
    } catch (error) {
      if (error instanceof ExportWithdrawn) {
        // Its person was deleted, or another process took it over after this one stalled;
        // only in the first case is what was written nobody's.
        const [still] = await queryRows<{ id: string }>(
          deps.db,
          sql`select id from public.data_exports where id = ${job.id}::uuid`,
        );
        if (!still) await deps.storage.remove([dataExportPath(job.userId, job.id)]);
        outcomes.push({ id: job.id, userId: job.userId, result: "gone" });
        continue;
      }
      outcomes.push(await fail(deps, job, error));
    }
  }
}

/** Keeps this process building exports; never two runs at once. Returns a stop. */
export function startDataExportWorker(
  deps: DataExportDeps & { onError: (error: unknown) => void },
): () => void {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    runDataExports(deps)
      .catch(deps.onError)
      .finally(() => (running = false));
  }, EVERY_MS);
  timer.unref();
  return () => clearInterval(timer);
}
