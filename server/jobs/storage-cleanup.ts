import "server-only";

import { and, isNull, lt, sql } from "drizzle-orm";
import { queryRows } from "@/db/rows";
import { messageAttachments } from "@/db/schema";
import type { Database } from "@/db/types";
import type { StorageDriver } from "@/server/storage/driver";
import { isSafeObjectPath } from "@/server/storage/paths";
import { describeError, setAside } from "./dead-letters";

/** Uploads never bound to a message go after this long (their files through the outbox). */
export const UNBOUND_UPLOAD_TTL_HOURS = 24;
const BATCH = 200;

/** Deletes unbound uploads older than the TTL; the delete trigger queues their files. */
export async function purgeUnboundUploads(db: Database, hours = UNBOUND_UPLOAD_TTL_HOURS) {
  const deleted = await db
    .delete(messageAttachments)
    .where(
      and(
        isNull(messageAttachments.messageId),
        lt(messageAttachments.createdAt, sql`now() - make_interval(hours => ${hours})`),
      ),
    )
    .returning({ id: messageAttachments.id });
  return deleted.length;
}

/**
 * Removes the attachment rows of groups deleted more than `days` ago, a batch at a time; the
 * delete trigger queues their files. The group's messages and edit history stay.
 */
export async function purgeDeletedGroupFiles(db: Database, days: number): Promise<number> {
  const deleted = await queryRows<{ id: string }>(
    db,
    sql`delete from public.message_attachments
        where id in (
          select a.id from public.message_attachments a
          join public.chats c on c.id = a."chatId"
          where c."deletedAt" < now() - make_interval(days => ${days})
          limit ${BATCH * 5}
        )
        returning id`,
  );
  return deleted.length;
}

/** Attempts at removing one file before it is set aside in `dead_letters`. */
export const STORAGE_DELETION_MAX_ATTEMPTS = 8;

/** The wait before attempt `n + 1`: a minute, doubling, at most six hours. */
export function storageDeletionBackoffSeconds(attempts: number): number {
  return Math.min(60 * 2 ** Math.max(0, attempts - 1), 6 * 3600);
}

interface QueuedDeletion {
  id: number;
  path: string;
  attempts: number;
}

/**
 * Drains `storage_deletions`: removes the files that are due, then their rows. Files are
 * removed at least once (removing a missing file is not an error), outside any transaction.
 * One failing file never holds up the others: after a failed batch each file is tried on its
 * own; a file that fails waits longer before each attempt and is set aside in `dead_letters`
 * after `STORAGE_DELETION_MAX_ATTEMPTS`; a path no driver may be handed is set aside at once.
 * Returns how many files went.
 */
export async function drainStorageDeletions(db: Database, storage: StorageDriver): Promise<number> {
  let total = 0;
  for (;;) {
    const batch = await queryRows<QueuedDeletion>(
      db,
      sql`select id::float8 as id, path, attempts from public.storage_deletions
          where bucket = ${storage.bucket} and "nextAttemptAt" <= now()
          order by id limit ${BATCH}`,
    );
    if (!batch.length) return total;
    const safe: QueuedDeletion[] = [];
    for (const row of batch) {
      if (isSafeObjectPath(row.path)) safe.push(row);
      else await giveUp(db, storage, row, new Error("not a path Parley stores files under"));
    }
    try {
      if (safe.length) await storage.remove(safe.map((r) => r.path));
      await forget(db, safe);
      total += safe.length;
    } catch {
      for (const row of safe) {
        try {
          await storage.remove([row.path]);
          await forget(db, [row]);
          total++;
        } catch (error) {
          await retryLater(db, storage, row, error);
        }
      }
    }
    if (batch.length < BATCH) return total;
  }
}

async function forget(db: Database, rows: QueuedDeletion[]): Promise<void> {
  if (!rows.length) return;
  const ids = `{${rows.map((r) => r.id).join(",")}}`;
  await db.execute(sql`delete from public.storage_deletions where id = any(${ids}::bigint[])`);
}

async function giveUp(
  db: Database,
  storage: StorageDriver,
  row: QueuedDeletion,
  error: unknown,
): Promise<void> {
  await setAside(
    db,
    "storage_deletions",
    { bucket: storage.bucket, path: row.path },
    error,
    row.attempts + 1,
  );
  await forget(db, [row]);
}

async function retryLater(
  db: Database,
  storage: StorageDriver,
  row: QueuedDeletion,
  error: unknown,
): Promise<void> {
  const attempts = row.attempts + 1;
  if (attempts >= STORAGE_DELETION_MAX_ATTEMPTS) return giveUp(db, storage, row, error);
  await db.execute(
    sql`update public.storage_deletions
        set attempts = ${attempts}, "lastError" = ${describeError(error)},
            "nextAttemptAt" = now() + make_interval(secs => ${storageDeletionBackoffSeconds(attempts)})
        where id = ${row.id}`,
  );
}
