import "server-only";

import { sql } from "drizzle-orm";
import { queryRows, toDate } from "@/db/rows";
import type { Database } from "@/db/types";
import { recordAudit } from "@/server/audit/buffer";
import { env } from "@/server/env";
import { deliverAccountMail } from "@/server/mail";
import {
  accountDeletionCancelledMail,
  accountDeletionScheduledMail,
} from "@/server/mail/account-deletion-mail";

const pageUrl = (path: string) => new URL(path, `${env.appUrl}/`).href;

/**
 * Mails the owner of an account whose deletion is pending when it will happen and how to call
 * it off. On the owner connection (the address is closed to requests); nothing when no
 * deletion is pending any more.
 */
export async function sendDeletionScheduledNotice(db: Database, userId: string): Promise<void> {
  const [row] = await queryRows<{
    email: string;
    name: string;
    eraseAfter: Date | string;
    requestedBy: string | null;
  }>(
    db,
    sql`select u.email, u.name, d."eraseAfter", d."requestedBy"
        from public.account_deletions d join public."user" u on u.id = d."userId"
        where d."userId" = ${userId}::uuid`,
  );
  if (!row) return;
  await deliverAccountMail(
    "account-deletion-scheduled",
    accountDeletionScheduledMail({
      to: row.email,
      name: row.name,
      eraseAfter: toDate(row.eraseAfter),
      byAdmin: row.requestedBy !== userId,
      signInUrl: pageUrl("/sign-in"),
    }),
  );
}

/**
 * A sign-in (any way: password, second factor, passkey) calls off its account's pending
 * deletion; an admin acting as the person (impersonation) does not. Audited and mailed.
 * Returns whether one was pending.
 */
export async function cancelDeletionOnSignIn(
  db: Database,
  session: { userId: string; impersonatedBy?: string | null; ipAddress?: string | null },
): Promise<boolean> {
  if (session.impersonatedBy) return false;
  const [cancelled] = await queryRows<{ email: string; name: string }>(
    db,
    sql`with gone as (
          delete from public.account_deletions where "userId" = ${session.userId}::uuid
          returning "userId")
        select u.email, u.name from gone join public."user" u on u.id = gone."userId"`,
  );
  if (!cancelled) return false;
  recordAudit({
    apiKeyId: null,
    userId: session.userId,
    actorId: session.userId,
    endpoint: "/api/auth/account-deletion/cancel",
    method: "AUTH",
    statusCode: 200,
    responseTime: null,
    ipAddress: session.ipAddress ?? null,
    userAgent: null,
    details: { action: "account.deletion_cancelled", by: "sign-in" },
  });
  await deliverAccountMail(
    "account-deletion-cancelled",
    accountDeletionCancelledMail({
      to: cancelled.email,
      name: cancelled.name,
      settingsUrl: pageUrl("/settings/data"),
    }),
  );
  return true;
}
