import "server-only";

import { sql } from "drizzle-orm";
import { queryRows } from "@/db/rows";
import type { Tx } from "@/db/types";

/** Who follows a thread and is still in its chat: where a reply is announced. */
export async function threadFollowers(tx: Tx, params: { rootId: string }): Promise<string[]> {
  const rows = await queryRows<{ id: string }>(
    tx,
    sql`select public.thread_followers(${params.rootId}::uuid) as id`,
  );
  return rows.map((r) => r.id);
}
