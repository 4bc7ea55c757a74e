import "server-only";

import { sql } from "drizzle-orm";
import { queryRows } from "@/db/rows";
import type { Database } from "@/db/types";

/**
 * How long a finished request's row stays once its archive is gone or it failed: longer than
 * the longest interval between requests (DATA_EXPORT_INTERVAL_MINUTES), which it enforces.
 */
export const DATA_EXPORT_ROW_RETENTION_DAYS = 31;

/**
 * Archives past their time stop being downloadable and leave storage: each is marked expired
 * and its path cleared, which queues the file in the deletion outbox (a trigger), drained by
 * the storage cleanup. Rows of long-finished requests go. On the owner connection; returns how
 * many archives expired.
 */
export async function expireDataExports(db: Database): Promise<number> {
  const expired = await queryRows<{ id: string }>(
    db,
    sql`update public.data_exports
        set status = 'expired', "storagePath" = null
        where status = 'ready' and "expiresAt" <= now()
        returning id`,
  );
  await db.execute(
    sql`delete from public.data_exports
        where status in ('expired', 'failed')
          and "createdAt" < now() - make_interval(days => ${DATA_EXPORT_ROW_RETENTION_DAYS})`,
  );
  return expired.length;
}
