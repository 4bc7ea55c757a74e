import "server-only";

import { and, desc, eq, sql } from "drizzle-orm";
import { chats, messages, savedMessages } from "@/db/schema";
import { queryRows } from "@/db/rows";
import type { Tx } from "@/db/types";
import { MAX_SAVED_MESSAGES, type ListSavedInput, type SavedMessage } from "@/contracts/pins";
import { AppError, refusedOverLimit } from "@/server/errors";
import { publishAfterCommit } from "@/server/realtime/publisher";
import { markedMessage, markedMessageColumns, markedSender } from "./marked-message";
import { afterTimeCursor, cursorTime, encodeTimeCursor } from "./time-cursor";
import { chatTitle, directOther, directOtherOn, directOtherUser } from "./chat-title";

/**
 * The caller's saved messages, the latest saved first, from the chats they are still in
 * (RLS shows no other), each with its chat's title for the list.
 */
export async function listSaved(
  tx: Tx,
  params: { userId: string } & ListSavedInput,
): Promise<{ items: SavedMessage[]; nextCursor: string | null }> {
  const rows = await tx
    .select({
      ...markedMessageColumns,
      savedAt: savedMessages.savedAt,
      cursorAt: cursorTime(savedMessages.savedAt),
      chatType: chats.type,
      chatName: chats.name,
      otherName: directOtherUser.name,
    })
    .from(savedMessages)
    .innerJoin(messages, eq(messages.id, savedMessages.messageId))
    .innerJoin(chats, eq(chats.id, savedMessages.chatId))
    .leftJoin(markedSender, eq(markedSender.id, messages.senderId))
    // A direct chat is titled by the other person in it.
    .leftJoin(directOther, directOtherOn(params.userId))
    .leftJoin(directOtherUser, eq(directOtherUser.id, directOther.userId))
    .where(
      and(
        eq(savedMessages.userId, params.userId),
        afterTimeCursor({ at: savedMessages.savedAt, id: savedMessages.messageId }, params.cursor),
      ),
    )
    .orderBy(desc(savedMessages.savedAt), desc(savedMessages.messageId))
    .limit(params.limit + 1);
  const page = rows.slice(0, params.limit);
  const last = page.at(-1);
  return {
    items: page.map((r) => ({
      ...markedMessage(r),
      chatTitle: chatTitle(r.chatType, r.chatName, r.otherName),
      savedAt: r.savedAt,
    })),
    nextCursor:
      rows.length > params.limit && last ? encodeTimeCursor(last.cursorAt, last.messageId) : null,
  };
}

/** Saves a message for the caller; saving it again changes nothing. */
export async function saveMessage(
  tx: Tx,
  params: { userId: string; messageId: string },
): Promise<{ messageId: string; saved: boolean }> {
  // The chat and the time are the database's (drizzle/0026_pins_saved.sql).
  const [row] = await queryRows<{ chatId: string }>(
    tx,
    sql`insert into public.saved_messages ("userId", "messageId")
        values (${params.userId}::uuid, ${params.messageId}::uuid)
        on conflict ("userId", "messageId") do nothing
        returning "chatId"`,
  ).catch(
    refusedOverLimit(`At most ${MAX_SAVED_MESSAGES} messages can be saved; remove some first`),
  );
  if (row) publishSaved(tx, { ...params, chatId: row.chatId, saved: true });
  return { messageId: params.messageId, saved: true };
}

/** Removes a message from the caller's saved messages; NOT_FOUND outside their chats. */
export async function unsaveMessage(
  tx: Tx,
  params: { userId: string; messageId: string },
): Promise<{ messageId: string; saved: boolean }> {
  const [message] = await tx
    .select({ id: messages.id })
    .from(messages)
    .where(eq(messages.id, params.messageId));
  if (!message) throw new AppError("NOT_FOUND", "Message not found");
  const [removed] = await tx
    .delete(savedMessages)
    .where(
      and(eq(savedMessages.userId, params.userId), eq(savedMessages.messageId, params.messageId)),
    )
    .returning({ chatId: savedMessages.chatId });
  if (removed) publishSaved(tx, { ...params, chatId: removed.chatId, saved: false });
  return { messageId: params.messageId, saved: false };
}

/** The saver's other tabs mark the message and refresh their saved list. */
function publishSaved(
  tx: Tx,
  params: { userId: string; messageId: string; chatId: string; saved: boolean },
): void {
  publishAfterCommit(tx, { type: "saved.changed", ...params });
}
