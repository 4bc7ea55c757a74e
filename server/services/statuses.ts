import "server-only";

import { and, eq, gt, isNull, or, sql } from "drizzle-orm";
import { userStatuses } from "@/db/schema";
import type { Tx } from "@/db/types";
import type { SetStatusInput, UserStatus } from "@/contracts/statuses";

/** A status that has not expired (others never see an expired one: RLS hides it). */
export const liveStatus = () =>
  or(isNull(userStatuses.expiresAt), gt(userStatuses.expiresAt, sql`now()`));

/** The caller's own status, unless it expired. */
export async function getStatus(tx: Tx, params: { userId: string }): Promise<UserStatus | null> {
  const [row] = await tx
    .select({
      emoji: userStatuses.emoji,
      text: userStatuses.text,
      expiresAt: userStatuses.expiresAt,
    })
    .from(userStatuses)
    .where(and(eq(userStatuses.userId, params.userId), liveStatus()));
  return row ?? null;
}

/** Sets the caller's status; the database stamps it and refuses an expiry out of range. */
export async function setStatus(
  tx: Tx,
  params: { userId: string } & SetStatusInput,
): Promise<UserStatus> {
  await clearStatus(tx, params);
  const [row] = await tx
    .insert(userStatuses)
    .values({
      userId: params.userId,
      emoji: params.emoji,
      text: params.text,
      expiresAt: params.expiresAt,
    })
    .returning({
      emoji: userStatuses.emoji,
      text: userStatuses.text,
      expiresAt: userStatuses.expiresAt,
    });
  return row!;
}

export async function clearStatus(tx: Tx, params: { userId: string }): Promise<null> {
  await tx.delete(userStatuses).where(eq(userStatuses.userId, params.userId));
  return null;
}
