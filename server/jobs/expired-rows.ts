import "server-only";

import { lt, sql } from "drizzle-orm";
import { devMailbox, digestItems, pushDeliveries, session, verification } from "@/db/schema";
import type { Database } from "@/db/types";

/** How long mail stays in the development mailbox: long enough to follow any link in it. */
export const DEV_MAILBOX_RETENTION_DAYS = 7;
/**
 * How long a message waits for a digest at most: one nobody mails by then (an address never
 * verified, digests held back) is no news any more.
 */
export const DIGEST_ITEM_RETENTION_DAYS = 7;
/** How long a settled push is kept: the per-person throttle looks back one minute. */
export const PUSH_DELIVERY_RETENTION_HOURS = 24;

/**
 * Deletes what has no use once it has expired, so these tables do not grow for good: sessions
 * past their expiry (Better Auth refuses them already), verification tokens past theirs
 * (reset and sign-up links), development mail older than its retention, messages held for a
 * digest too long, and settled pushes. On the owner connection; returns how many rows went
 * from each.
 */
export async function purgeExpiredRows(db: Database): Promise<{
  sessions: number;
  verifications: number;
  mail: number;
  digestItems: number;
  pushDeliveries: number;
}> {
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
  const digests = await db
    .delete(digestItems)
    .where(
      lt(digestItems.createdAt, sql`now() - make_interval(days => ${DIGEST_ITEM_RETENTION_DAYS})`),
    )
    .returning({ id: digestItems.messageId });
  const pushes = await db
    .delete(pushDeliveries)
    .where(
      sql`${pushDeliveries.status} <> 'queued'
          and ${pushDeliveries.settledAt} < now() - make_interval(hours => ${PUSH_DELIVERY_RETENTION_HOURS})`,
    )
    .returning({ id: pushDeliveries.id });
  return {
    sessions: sessions.length,
    verifications: verifications.length,
    mail: mail.length,
    digestItems: digests.length,
    pushDeliveries: pushes.length,
  };
}
