import "server-only";

import { and, desc, eq, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { chatMembers, chats, messageMentions, messages, threadMembers } from "@/db/schema";
import type { Tx } from "@/db/types";
import type { ListMentionsInput, Mention } from "@/contracts/mentions";
import { markedMessage, markedMessageColumns, markedSender } from "./marked-message";
import { afterTimeCursor, cursorTime, encodeTimeCursor } from "./time-cursor";
import { chatTitle, directOther, directOtherOn, directOtherUser } from "./chat-title";

/**
 * The messages that mention the caller, newest first, from the chats they are in now (RLS
 * shows no other mention), each with its chat's title and whether it is still unread.
 */
export async function listMentions(
  tx: Tx,
  params: { userId: string } & ListMentionsInput,
): Promise<{ items: Mention[]; nextCursor: string | null }> {
  const me = alias(chatMembers, "me");
  const rows = await tx
    .select({
      ...markedMessageColumns,
      cursorAt: cursorTime(messageMentions.createdAt),
      kind: messageMentions.kind,
      threadRootId: messageMentions.threadRootId,
      chatType: chats.type,
      chatName: chats.name,
      otherName: directOtherUser.name,
      unread: sql<boolean>`${messageMentions.seq} > case when ${messageMentions.threadRootId} is null
        then least(${me.unreadFromSeq} - 1, ${me.lastReadSeq})
        else coalesce(${threadMembers.lastReadSeq}, 0) end`,
    })
    .from(messageMentions)
    .innerJoin(messages, eq(messages.id, messageMentions.messageId))
    .innerJoin(chats, eq(chats.id, messageMentions.chatId))
    .innerJoin(
      me,
      and(eq(me.chatId, messageMentions.chatId), eq(me.userId, messageMentions.userId)),
    )
    .leftJoin(
      threadMembers,
      and(
        eq(threadMembers.rootId, messageMentions.threadRootId),
        eq(threadMembers.userId, messageMentions.userId),
      ),
    )
    .leftJoin(markedSender, eq(markedSender.id, messages.senderId))
    // A direct chat is titled by the other person in it.
    .leftJoin(directOther, directOtherOn(params.userId))
    .leftJoin(directOtherUser, eq(directOtherUser.id, directOther.userId))
    .where(
      and(
        eq(messageMentions.userId, params.userId),
        afterTimeCursor(
          { at: messageMentions.createdAt, id: messageMentions.messageId },
          params.cursor,
        ),
      ),
    )
    .orderBy(desc(messageMentions.createdAt), desc(messageMentions.messageId))
    .limit(params.limit + 1);
  const page = rows.slice(0, params.limit);
  const last = page.at(-1);
  return {
    items: page.map((r) => ({
      ...markedMessage(r),
      chatTitle: chatTitle(r.chatType, r.chatName, r.otherName),
      kind: r.kind,
      threadRootId: r.threadRootId,
      unread: r.unread,
    })),
    nextCursor:
      rows.length > params.limit && last ? encodeTimeCursor(last.cursorAt, last.messageId) : null,
  };
}
