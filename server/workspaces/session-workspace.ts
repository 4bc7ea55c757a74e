import "server-only";

import { sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import { queryRows } from "@/db/rows";

/**
 * The workspace a new session starts in: the one its user was last active in (on any
 * device), or else the one they joined first, which is their own for a new account.
 */
export async function workspaceForNewSession(db: Database, userId: string): Promise<string | null> {
  const [row] = await queryRows<{ organizationId: string }>(
    db,
    sql`select m."organizationId"
        from public.member m
        left join lateral (
          select max(s."updatedAt") as used from public.session s
          where s."userId" = m."userId" and s."activeOrganizationId" = m."organizationId"
        ) last on true
        where m."userId" = ${userId}::uuid
        order by last.used desc nulls last, m."createdAt", m."organizationId"
        limit 1`,
  );
  return row?.organizationId ?? null;
}
