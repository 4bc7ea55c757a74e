import "server-only";

import { and, eq, gt, isNull, or, sql } from "drizzle-orm";
import { chatMembers, userStatuses } from "@/db/schema";
import type { Tx } from "@/db/types";
import type { SetStatusInput, UserStatus } from "@/contracts/statuses";
import { publishAfterCommit } from "@/server/realtime/publisher";

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
  await removeStatus(tx, params);
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
  await publishStatus(tx, params);
  return row!;
}

export async function clearStatus(tx: Tx, params: { userId: string }): Promise<null> {
  if (await removeStatus(tx, params)) await publishStatus(tx, params);
  return null;
}

async function removeStatus(tx: Tx, params: { userId: string }): Promise<boolean> {
  const removed = await tx
    .delete(userStatuses)
    .where(eq(userStatuses.userId, params.userId))
    .returning({ userId: userStatuses.userId });
  return removed.length > 0;
}

/** Open views of the person's chats show the new status; so do their own other tabs. */
async function publishStatus(tx: Tx, params: { userId: string }): Promise<void> {
  const chats = await tx
    .select({ chatId: chatMembers.chatId })
    .from(chatMembers)
    .where(eq(chatMembers.userId, params.userId));
  publishAfterCommit(tx, {
    type: "status.changed",
    userId: params.userId,
    chatIds: chats.map((c) => c.chatId),
  });
}
