import "server-only";

import { and, desc, eq, inArray, lt, sql } from "drizzle-orm";
import { messages, messageThreads, threadMembers, user } from "@/db/schema";
import { queryRows } from "@/db/rows";
import type { Tx } from "@/db/types";
import type {
  ListThreadsInput,
  ThreadItem,
  ThreadPage,
  ThreadPageInput,
} from "@/contracts/threads";
import { AppError } from "@/server/errors";
import { publishAfterCommit } from "@/server/realtime/publisher";
import { loadChatAccess } from "./chat-access";
import { markedMessage, markedMessageColumns, markedSender } from "./marked-message";
import { getMessage, listScoped } from "./messages";

async function isFollowing(tx: Tx, params: { userId: string; rootId: string }) {
  const [row] = await tx
    .select({ following: threadMembers.following })
    .from(threadMembers)
    .where(and(eq(threadMembers.rootId, params.rootId), eq(threadMembers.userId, params.userId)));
  return row?.following ?? false;
}

/**
 * A message's thread: the message, whether the caller follows it, and a page of its replies
 * (keyset on seq, like the timeline). NOT_FOUND outside the caller's chats.
 */
export async function getThread(
  tx: Tx,
  params: { userId: string } & ThreadPageInput,
): Promise<ThreadPage> {
  const { userId, rootId, ...paging } = params;
  const root = await getMessage(tx, { userId, messageId: rootId });
  if (root.threadRootId) {
    throw new AppError("BAD_REQUEST", "That message is a reply in a thread, not a thread's start", {
      issues: [{ path: ["rootId"], message: "A reply in a thread" }],
    });
  }
  const [page, following] = await Promise.all([
    listScoped(tx, { userId, chatId: root.chatId, ...paging, scope: { threadRootId: rootId } }),
    isFollowing(tx, { userId, rootId }),
  ]);
  return { root, following, ...page };
}

/**
 * Follows a thread (its replies then count as unread and reach the caller) or stops following
 * it. Following starts from now: replies already there do not count as unread.
 */
export async function followThread(
  tx: Tx,
  params: { userId: string; rootId: string; following: boolean },
): Promise<{ rootId: string; following: boolean }> {
  const [row] = await queryRows<{ chatId: string; following: boolean }>(
    tx,
    sql`insert into public.thread_members ("rootId", "userId", following, "lastReadSeq")
        values (${params.rootId}::uuid, ${params.userId}::uuid, ${params.following},
                coalesce((select t."lastReplySeq" from public.message_threads t
                          where t."rootId" = ${params.rootId}::uuid), 0))
        on conflict ("rootId", "userId") do update set following = excluded.following
        returning "chatId", following`,
  );
  if (!row) throw new AppError("NOT_FOUND", "Message not found");
  publishAfterCommit(tx, {
    type: "thread.changed",
    chatId: row.chatId,
    rootId: params.rootId,
    userId: params.userId,
  });
  return { rootId: params.rootId, following: row.following };
}

/**
 * Marks a followed thread read up to reply `seq`. Reading a thread one does not follow
 * leaves nothing to mark.
 */
export async function markThreadRead(
  tx: Tx,
  params: { userId: string; rootId: string; seq: number },
): Promise<{ rootId: string; lastReadSeq: number }> {
  const [thread] = await tx
    .select({ chatId: messageThreads.chatId, lastReplySeq: messageThreads.lastReplySeq })
    .from(messageThreads)
    .where(eq(messageThreads.rootId, params.rootId));
  if (!thread) throw new AppError("NOT_FOUND", "Thread not found");
  if (params.seq > thread.lastReplySeq) {
    throw new AppError("BAD_REQUEST", `seq ${params.seq} is beyond the thread's last reply`, {
      issues: [{ path: ["seq"], message: `Must be at most ${thread.lastReplySeq}` }],
    });
  }
  const [row] = await tx
    .update(threadMembers)
    .set({ lastReadSeq: params.seq })
    .where(and(eq(threadMembers.rootId, params.rootId), eq(threadMembers.userId, params.userId)))
    .returning({ lastReadSeq: threadMembers.lastReadSeq });
  if (row) {
    publishAfterCommit(tx, {
      type: "thread.changed",
      chatId: thread.chatId,
      rootId: params.rootId,
      userId: params.userId,
    });
  }
  return { rootId: params.rootId, lastReadSeq: row?.lastReadSeq ?? params.seq };
}

/**
 * A chat's threads, the latest reply first (keyset on the last reply's seq, which is unique
 * in the chat): each root in one line, its totals and the caller's place in it.
 */
export async function listThreads(
  tx: Tx,
  params: { userId: string } & ListThreadsInput,
): Promise<{ items: ThreadItem[]; nextCursor: string | null }> {
  const chat = await loadChatAccess(tx, params);
  const before = params.cursor === undefined ? undefined : Number(params.cursor);
  if (before !== undefined && !Number.isSafeInteger(before)) {
    throw new AppError("BAD_REQUEST", "Invalid cursor", {
      issues: [{ path: ["cursor"], message: "Not a cursor this list gave" }],
    });
  }
  const rows = await tx
    .select({
      ...markedMessageColumns,
      replyCount: messageThreads.replyCount,
      lastReplySeq: messageThreads.lastReplySeq,
      lastReplyAt: messageThreads.lastReplyAt,
      participantIds: messageThreads.participantIds,
      following: sql<boolean>`coalesce(${threadMembers.following}, false)`,
      unread: sql<boolean>`coalesce(${threadMembers.following} and ${messageThreads.lastReplySeq} > ${threadMembers.lastReadSeq}, false)`,
    })
    .from(messageThreads)
    .innerJoin(messages, eq(messages.id, messageThreads.rootId))
    .leftJoin(markedSender, eq(markedSender.id, messages.senderId))
    .leftJoin(
      threadMembers,
      and(eq(threadMembers.rootId, messageThreads.rootId), eq(threadMembers.userId, params.userId)),
    )
    .where(
      and(
        eq(messageThreads.chatId, chat.id),
        before === undefined ? undefined : lt(messageThreads.lastReplySeq, before),
      ),
    )
    .orderBy(desc(messageThreads.lastReplySeq))
    .limit(params.limit + 1);
  const page = rows.slice(0, params.limit);
  const people = await participants(
    tx,
    page.flatMap((r) => r.participantIds),
  );
  const last = page.at(-1);
  return {
    items: page.map((r) => ({
      ...rootOf(r),
      deleted: r.deletedAt !== null,
      replyCount: r.replyCount,
      lastReplyAt: r.lastReplyAt,
      participants: r.participantIds.flatMap((id) => people.get(id) ?? []),
      following: r.following,
      unread: r.unread,
    })),
    nextCursor: rows.length > params.limit && last ? String(last.lastReplySeq) : null,
  };
}

function rootOf(row: Parameters<typeof markedMessage>[0]) {
  const { messageId, ...root } = markedMessage(row);
  return { rootId: messageId, ...root };
}

async function participants(tx: Tx, ids: string[]) {
  const unique = [...new Set(ids)];
  const rows = unique.length
    ? await tx
        .select({ id: user.id, name: user.name, image: user.image })
        .from(user)
        .where(inArray(user.id, unique))
    : [];
  return new Map(rows.map((r) => [r.id, r]));
}
