import "server-only";

import { sql } from "drizzle-orm";
import { queryRows, toDate } from "@/db/rows";
import type { Tx } from "@/db/types";
import type { AccountDeletionScheduled, DeletedMessagesChoice } from "@/contracts/account-deletion";
import { queueSecurityNotice } from "@/server/accounts/security-notice-queue";
import { AppError, databaseMessage, sqlState } from "@/server/errors";

/** The database's refusals of a deletion, in the words it gives them. */
async function scheduling<T>(run: Promise<T>): Promise<T> {
  try {
    return await run;
  } catch (error) {
    // 55000: the site's only admin; 22023: no choice for the messages.
    const state = sqlState(error);
    if (state === "55000" || state === "22023") {
      throw new AppError(
        state === "55000" ? "CONFLICT" : "BAD_REQUEST",
        databaseMessage(error) ?? "The account cannot be deleted",
      );
    }
    throw error;
  }
}

/**
 * The caller's own deletion, after `graceDays`: they are signed out everywhere, and signing
 * in before then cancels it. Their password was checked by the caller (the Better Auth
 * endpoint); `request_account_deletion` acts on the bound user only.
 */
export async function requestAccountDeletion(
  tx: Tx,
  params: { messages: DeletedMessagesChoice; graceDays: number },
): Promise<AccountDeletionScheduled> {
  const [row] = await scheduling(
    queryRows<{ eraseAfter: Date | string | null }>(
      tx,
      sql`select public.request_account_deletion(${params.messages}, ${params.graceDays}) as "eraseAfter"`,
    ),
  );
  const eraseAfter = toDate(row?.eraseAfter ?? null);
  if (!eraseAfter) throw new AppError("NOT_FOUND", "Account not found");
  return { eraseAfter };
}

/**
 * A site admin starting the same deletion for someone else; the database refuses anyone else,
 * and the admin for themself. The person is mailed once it commits.
 */
export async function adminRequestAccountDeletion(
  tx: Tx,
  params: { userId: string; messages: DeletedMessagesChoice; graceDays: number },
): Promise<AccountDeletionScheduled> {
  const [row] = await scheduling(
    queryRows<{ eraseAfter: Date | string | null }>(
      tx,
      sql`select public.admin_request_account_deletion(${params.userId}, ${params.messages}, ${params.graceDays}) as "eraseAfter"`,
    ),
  );
  const eraseAfter = toDate(row?.eraseAfter ?? null);
  if (!eraseAfter) throw new AppError("NOT_FOUND", "No such user");
  queueSecurityNotice(tx, { userId: params.userId, change: "account_deletion_scheduled" });
  return { eraseAfter };
}

/** A site admin calling off a pending deletion. */
export async function adminCancelAccountDeletion(
  tx: Tx,
  params: { userId: string },
): Promise<{ wasPending: boolean }> {
  const [row] = await queryRows<{ wasPending: boolean }>(
    tx,
    sql`select public.admin_cancel_account_deletion(${params.userId}) as "wasPending"`,
  );
  return { wasPending: row?.wasPending === true };
}
