import "server-only";

import { lt, sql } from "drizzle-orm";
import type { Database } from "@/db/types";
import { apiAuditLogs } from "@/db/schema";

/** The retention job: deletes audit rows older than `days`. Returns how many went. */
export async function purgeAuditLogs(db: Database, days: number): Promise<number> {
  const deleted = await db
    .delete(apiAuditLogs)
    .where(lt(apiAuditLogs.createdAt, sql`now() - make_interval(days => ${days})`))
    .returning({ id: apiAuditLogs.id });
  return deleted.length;
}
