import "server-only";

import { desc, eq, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { messagePins, messages, user } from "@/db/schema";
import { queryRows } from "@/db/rows";
import type { Tx } from "@/db/types";
import { MAX_PINNED_PER_CHAT, type Pin } from "@/contracts/pins";
import { AppError, refusedOverLimit } from "@/server/errors";
import { publishAfterCommit } from "@/server/realtime/publisher";
import { loadChatAccess } from "./chat-access";
import { canInChat } from "@/contracts/permissions";
import { memberIds } from "./chat-read";
import { markedMessage, markedMessageColumns, markedSender } from "./marked-message";

/** The chat's pinned messages, the latest pinned first; NOT_FOUND outside the caller's chats. */
export async function listPins(tx: Tx, params: { userId: string; chatId: string }): Promise<Pin[]> {
  const chat = await loadChatAccess(tx, params);
  const pinner = alias(user, "pinner");
  const rows = await tx
    .select({
      ...markedMessageColumns,
      pinnerId: pinner.id,
      pinnerName: pinner.name,
      pinnerImage: pinner.image,
      pinnedAt: messagePins.pinnedAt,
    })
    .from(messagePins)
    .innerJoin(messages, eq(messages.id, messagePins.messageId))
    .leftJoin(markedSender, eq(markedSender.id, messages.senderId))
    .leftJoin(pinner, eq(pinner.id, messagePins.pinnedBy))
    .where(eq(messagePins.chatId, chat.id))
    .orderBy(desc(messagePins.pinnedAt), desc(messagePins.messageId))
    .limit(MAX_PINNED_PER_CHAT);
  const moderates = chat.type === "direct" || canInChat(chat, "chat.manage_group");
  return rows.map((r) => ({
    ...markedMessage(r),
    pinnedBy: r.pinnerId ? { id: r.pinnerId, name: r.pinnerName!, image: r.pinnerImage } : null,
    pinnedAt: r.pinnedAt,
    canUnpin: moderates || r.pinnerId === params.userId,
  }));
}

/**
 * Pins a message to its chat for every member, with an event line saying who did. Pinning
 * a pinned message changes nothing. The database checks the message, the chat and the limit
 * (drizzle/0026_pins_saved.sql).
 */
export async function pinMessage(
  tx: Tx,
  params: { userId: string; messageId: string },
): Promise<{ messageId: string; pinned: boolean }> {
  const [inserted] = await queryRows<{ chatId: string; pinnedSeq: number }>(
    tx,
    sql`insert into public.message_pins ("messageId") values (${params.messageId}::uuid)
        on conflict ("messageId") do nothing
        returning "chatId",
          (select m.seq::float8 from public.messages m where m.id = "messageId") as "pinnedSeq"`,
  ).catch(
    refusedOverLimit(
      `A chat can have at most ${MAX_PINNED_PER_CHAT} pinned messages; unpin one first`,
    ),
  );
  if (inserted) {
    const { chatId } = inserted;
    // The pin's event line is the chat's newest message: the chat row stays locked by the
    // pin's trigger until this transaction ends.
    const [line] = await tx
      .select({ id: messages.id, seq: messages.seq })
      .from(messages)
      .where(eq(messages.chatId, chatId))
      .orderBy(desc(messages.seq))
      .limit(1);
    const members = await memberIds(tx, { chatId });
    publishAfterCommit(tx, {
      type: "message.created",
      chatId,
      messageId: line!.id,
      seq: line!.seq,
      senderId: params.userId,
      memberIds: members,
    });
    publishAfterCommit(tx, {
      type: "pin.changed",
      chatId,
      messageId: params.messageId,
      seq: Number(inserted.pinnedSeq),
      action: "pinned",
    });
  } else {
    await requirePinned(tx, params);
  }
  return { messageId: params.messageId, pinned: true };
}

/** Unpins a message: whoever pinned it, a group's owner or admins, either side of a direct chat. */
export async function unpinMessage(
  tx: Tx,
  params: { userId: string; messageId: string },
): Promise<{ messageId: string; pinned: boolean }> {
  const pin = await requirePinned(tx, params);
  if (!pin) return { messageId: params.messageId, pinned: false };
  const [removed] = await tx
    .delete(messagePins)
    .where(eq(messagePins.messageId, params.messageId))
    .returning({ chatId: messagePins.chatId });
  if (!removed) {
    throw new AppError(
      "FORBIDDEN",
      "Only whoever pinned a message, or the group's owner and admins, can unpin it",
    );
  }
  publishAfterCommit(tx, {
    type: "pin.changed",
    chatId: removed.chatId,
    messageId: params.messageId,
    seq: pin.seq,
    action: "unpinned",
  });
  return { messageId: params.messageId, pinned: false };
}

/**
 * The message (NOT_FOUND unless it is in one of the caller's chats) and whether it is
 * pinned: the pin when it is, undefined when not.
 */
async function requirePinned(tx: Tx, params: { userId: string; messageId: string }) {
  const [message] = await tx
    .select({ chatId: messages.chatId, seq: messages.seq, pinned: messagePins.messageId })
    .from(messages)
    .leftJoin(messagePins, eq(messagePins.messageId, messages.id))
    .where(eq(messages.id, params.messageId));
  if (!message) throw new AppError("NOT_FOUND", "Message not found");
  await loadChatAccess(tx, { userId: params.userId, chatId: message.chatId });
  return message.pinned ? { seq: message.seq } : undefined;
}
