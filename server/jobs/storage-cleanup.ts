import "server-only";

import { and, isNull, lt, sql } from "drizzle-orm";
import { queryRows } from "@/db/rows";
import { messageAttachments } from "@/db/schema";
import type { Database } from "@/db/types";
import type { StorageDriver } from "@/server/storage/driver";

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
 * Drains `storage_deletions`: removes the files, then the rows. A failure leaves the rows for
 * the next run (files are removed at least once; removing a missing file is not an error).
 * The storage call happens outside any transaction. Returns how many files went.
 */
export async function drainStorageDeletions(db: Database, storage: StorageDriver): Promise<number> {
  let total = 0;
  for (;;) {
    const batch = await queryRows<{ id: number; path: string }>(
      db,
      sql`select id::float8 as id, path from public.storage_deletions
          where bucket = ${storage.bucket} order by id limit ${BATCH}`,
    );
    if (!batch.length) return total;
    const ids = `{${batch.map((r) => r.id).join(",")}}`;
    try {
      await storage.remove(batch.map((r) => r.path));
    } catch (error) {
      await db.execute(
        sql`update public.storage_deletions set attempts = attempts + 1 where id = any(${ids}::bigint[])`,
      );
      throw error;
    }
    await db.execute(sql`delete from public.storage_deletions where id = any(${ids}::bigint[])`);
    total += batch.length;
    if (batch.length < BATCH) return total;
  }
}
