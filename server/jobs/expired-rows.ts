import "server-only";

import { lt, sql } from "drizzle-orm";
import { devMailbox, session, verification } from "@/db/schema";
import type { Database } from "@/db/types";

/** How long mail stays in the development mailbox: long enough to follow any link in it. */
export const DEV_MAILBOX_RETENTION_DAYS = 7;

/**
 * Deletes what has no use once it has expired, so these tables do not grow for good: sessions
 * past their expiry (Better Auth refuses them already), verification tokens past theirs
 * (reset and sign-up links), and development mail older than its retention. On the owner
 * connection; returns how many rows went from each.
 */
export async function purgeExpiredRows(
  db: Database,
): Promise<{ sessions: number; verifications: number; mail: number }> {
  const sessions = await db
    .delete(session)
    .where(lt(session.expiresAt, sql`now()`))
    .returning({ id: session.id });
  const verifications = await db
    .delete(verification)
    .where(lt(verification.expiresAt, sql`now()`))
    .returning({ id: verification.id });
  const mail = await db
    .delete(devMailbox)
    .where(
      lt(devMailbox.createdAt, sql`now() - make_interval(days => ${DEV_MAILBOX_RETENTION_DAYS})`),
    )
    .returning({ id: devMailbox.id });
  return { sessions: sessions.length, verifications: verifications.length, mail: mail.length };
}
