import "server-only";

import { and, asc, desc, eq, gte, inArray, isNull, ne, sql } from "drizzle-orm";
import {
  chatMembers,
  messageAttachments,
  messageEdits,
  messageReactions,
  messages,
  user,
} from "@/db/schema";
import { type ChatType, type MessageType } from "@/contracts/enums";
import { queryRows } from "@/db/rows";
import type { Tx } from "@/db/types";
import {
  MESSAGE_MAX_EDITS,
  type ListEditsInput,
  type ListMessagesInput,
  type MessageEdit,
  type MessageView,
  type SendMessageInput,
  type TimelinePage,
} from "@/contracts/messages";
import { messageIdFor } from "@/contracts/message-ids";
import { AppError, refusedOverLimit } from "@/server/errors";
import { queueLinkPreview } from "@/server/link-previews/queue";
import { publishAfterCommit } from "@/server/realtime/publisher";
import { loadChatAccess, type ChatAccess } from "./chat-access";
import { canInChat } from "@/contracts/permissions";
import { memberIds } from "./chat-read";
import { threadFollowers } from "./thread-followers";
import { messageRowFromJson, messageRowJson, type MessageRowJson } from "./message-json";
import { loadMessagePage, type PageBound, type PageScope } from "./message-page";
import type { MessageRow } from "./message-rows";
import { pageViews, reactionSummaries, sentMessageView } from "./message-views";
import { readPointerVisible } from "./read-receipts";
import { afterTimeCursor, cursorTime, encodeTimeCursor } from "./time-cursor";

/** SQLSTATE of the edit history's bound (drizzle/0024_bounded_growth.sql). */

function beyondLastSeq(name: string, seq: number, chat: ChatAccess): AppError {
  return new AppError(
    "BAD_REQUEST",
    `${name} ${seq} is beyond the last message (${chat.lastSeq})`,
    {
      issues: [{ path: [name], message: `Must be at most ${chat.lastSeq}` }],
    },
  );
}

interface ScopedPage {
  messages: MessageView[];
  hasOlder: boolean;
  hasNewer: boolean;
  lastSeq: number;
}

/**
 * Where a timeline page around `seq` should be centred: on the message itself, or, when it is
 * a reply in a thread, on the thread's root (and the reply is named, to be shown in its thread).
 */
async function timelinePlace(
  tx: Tx,
  params: { chatId: string; seq: number },
): Promise<{ around: number; inThread: TimelinePage["inThread"] }> {
  const [row] = await queryRows<{ rootId: string | null; rootSeq: number | null }>(
    tx,
    sql`select m."threadRootId" as "rootId", r.seq::float8 as "rootSeq"
        from public.messages m
        left join public.messages r on r.id = m."threadRootId"
        where m."chatId" = ${params.chatId}::uuid and m.seq = ${params.seq}`,
  );
  if (!row?.rootId || row.rootSeq === null) return { around: params.seq, inThread: null };
  const rootSeq = Number(row.rootSeq);
  return { around: rootSeq, inThread: { rootId: row.rootId, rootSeq, seq: params.seq } };
}

/**
 * A page of a chat's timeline by sequence number (keyset, never OFFSET): the latest, or
 * those before, after or around a seq. Always returned oldest first. A seq `around` that is
 * a reply in a thread gives the page around the thread's root.
 */
export async function listMessages(
  tx: Tx,
  params: { userId: string } & ListMessagesInput,
): Promise<TimelinePage> {
  if (params.around === undefined) {
    return { ...(await listScoped(tx, { ...params, scope: { timeline: true } })), inThread: null };
  }
  const place = await timelinePlace(tx, { chatId: params.chatId, seq: params.around });
  const page = await listScoped(tx, {
    ...params,
    // Checked against the chat's last seq as asked, whatever the page is centred on.
    around: place.inThread ? place.around : params.around,
    scope: { timeline: true },
  });
  return { ...page, inThread: place.inThread };
}

/** A page of one scope (the timeline or a thread's replies); see `listMessages`. */
export async function listScoped(
  tx: Tx,
  params: { userId: string; scope: PageScope } & ListMessagesInput,
): Promise<ScopedPage> {
  const { userId, chatId, before, after, around, limit, scope } = params;
  const load = async (bound: PageBound, take: number) => {
    const page = await loadMessagePage(tx, { userId, chatId, bound, limit: take, scope });
    if (!page) throw new AppError("NOT_FOUND", "Chat not found");
    // The page is read before the bounds are checked against the chat's last seq: the
    // transaction only reads, and a request out of bounds gets its error all the same.
    for (const [name, seq] of [
      ["before", before],
      ["after", after],
      ["around", around],
    ] as const) {
      // `before` may name the next seq to come (lastSeq + 1): "everything up to now".
      if (seq !== undefined && seq > page.chat.lastSeq + (name === "before" ? 1 : 0))
        throw beyondLastSeq(name, seq, page.chat);
    }
    return page;
  };

  if (around !== undefined) {
    const olderCount = Math.floor(limit / 2);
    const newerCount = limit - olderCount;
    const [older, newer] = await Promise.all([
      load({ before: around }, olderCount + 1),
      load({ from: around }, newerCount + 1),
    ]);
    const nearestOlder = olderCount > 0 ? older.messages.slice(-olderCount) : [];
    const messages = [...nearestOlder, ...newer.messages.slice(0, newerCount)];
    const views = await pageViews({ ...newer, messages }, { userId });
    return { messages: views, ...moreAround(views, newer.scopeSeqs), lastSeq: newer.chat.lastSeq };
  }

  // The page asks for one message more than it returns, to know whether there are more.
  const page = await load(
    after !== undefined ? { after } : { before: before ?? Number.MAX_SAFE_INTEGER },
    limit + 1,
  );
  const more = page.messages.length > limit;
  // Oldest first: the extra message is the oldest when reading back, the newest forward.
  const messages =
    after !== undefined ? page.messages.slice(0, limit) : page.messages.slice(-limit);
  const views = await pageViews({ ...page, messages }, { userId });
  const edges = moreAround(views, page.scopeSeqs);
  return {
    messages: views,
    hasOlder: after === undefined ? more : edges.hasOlder,
    hasNewer: after !== undefined ? more : edges.hasNewer,
    lastSeq: page.chat.lastSeq,
  };
}

/** Whether the scope has messages before and after a page's, from the scope's first and last. */
function moreAround(
  views: MessageView[],
  scopeSeqs: { first: number; last: number } | null,
): { hasOlder: boolean; hasNewer: boolean } {
  const first = views[0]?.seq;
  const last = views.at(-1)?.seq;
  if (!scopeSeqs || first === undefined || last === undefined) {
    return { hasOlder: false, hasNewer: false };
  }
  return { hasOlder: first > scopeSeqs.first, hasNewer: last < scopeSeqs.last };
}

/** One message as the caller sees it; NOT_FOUND when it is not in one of their chats. */
export async function getMessage(
  tx: Tx,
  params: { userId: string; messageId: string },
): Promise<MessageView> {
  // Its chat first (row-level security hides a message outside the caller's chats), then
  // the message as a page of one, built like every page.
  const [found] = await tx
    .select({ chatId: messages.chatId })
    .from(messages)
    .where(eq(messages.id, params.messageId));
  const page =
    found &&
    (await loadMessagePage(tx, {
      userId: params.userId,
      chatId: found.chatId,
      bound: { only: params.messageId },
      limit: 1,
    }));
  const [view] = page ? await pageViews(page, params) : [];
  if (!view) throw new AppError("NOT_FOUND", "Message not found");
  return view;
}

function typeFromAttachments(mimeTypes: string[]): MessageType {
  const first = mimeTypes[0];
  if (!first) return "text";
  const kind = first.split("/")[0];
  if (kind === "image" || kind === "video" || kind === "audio") {
    return mimeTypes.every((m) => m.startsWith(`${kind}/`)) ? kind : "file";
  }
  return "file";
}

/** What a send needs to know of its chat, read in the send's first statement. */
interface SendContext {
  id: string;
  type: ChatType;
  memberIds: string[];
  /** The message already stored under the id the client's key derives, if any. */
  existing: { chatId: string; senderId: string | null } | null;
  /** Whether the quoted message (if any) is in this chat. */
  replyInChat: boolean;
}

/**
 * Everything a send checks before writing, in one statement: the caller's access to the
 * chat, its members (to notify), and — when given — whether the keyed id is taken and
 * whether the message replied to is in this chat. NOT_FOUND unless the caller is a member.
 */
async function loadSendContext(
  tx: Tx,
  params: { userId: string; chatId: string; id?: string; replyToId?: string },
): Promise<SendContext> {
  // Raw SQL rather than the select builder: this runs on every send, and building the query
  // with the builder (field map, joins, result mapping) costs the server several times what
  // the same statement written out does (docs/PERFORMANCE.md).
  const [row] = await queryRows<SendContext>(
    tx,
    sql`
    select c.id, c.type,
      array(select m."userId" from public.chat_members m where m."chatId" = c.id)::text[] as "memberIds",
      ${
        params.id
          ? sql`(select json_build_object('chatId', e."chatId", 'senderId', e."senderId")
                 from public.messages e where e.id = ${params.id}::uuid)`
          : sql`null::json`
      } as existing,
      ${
        params.replyToId
          ? sql`exists (select 1 from public.messages r
                        where r.id = ${params.replyToId}::uuid and r."chatId" = c.id)`
          : sql`true`
      } as "replyInChat"
    from public.chats c
    join public.chat_members me on me."chatId" = c.id and me."userId" = ${params.userId}::uuid
    where c.id = ${params.chatId}::uuid`,
  );
  if (!row) throw new AppError("NOT_FOUND", "Chat not found");
  return row;
}

/**
 * With a keyed id, the context is read only once no other transaction of the same id is
 * open: concurrent retries of one send (a client that lost a response and tried again)
 * otherwise all see the id free, and all but one fail on its unique key after the first
 * commits. The lock is taken by a statement of its own, sent together with the context's
 * (no extra round trip): the connection runs them in order, so the context's snapshot is
 * taken after the lock is held, and sees the message a transaction that held it committed.
 */
function loadSendContextOnce(
  tx: Tx,
  params: { userId: string; chatId: string; id?: string; replyToId?: string },
): Promise<SendContext> {
  if (!params.id) return loadSendContext(tx, params);
  // Started first (a query runs once awaited): both take the same path to the connection.
  const locked = tx
    .execute(
      sql`select pg_advisory_xact_lock(hashtextextended(${params.id}, ${SEND_ID_LOCK_SEED}))`,
    )
    .then(() => undefined);
  return Promise.all([locked, loadSendContext(tx, params)]).then(([, context]) => context);
}

/** Keeps the send-id locks apart from the other advisory locks Parley takes. */
const SEND_ID_LOCK_SEED = 11;

/**
 * Inserts a message and reads it back, with its sender and the message it quotes, in the
 * same statement. Its seq is assigned by the insert trigger, like every message's.
 */
async function insertMessage(
  tx: Tx,
  values: {
    id: string | null;
    chatId: string;
    senderId: string;
    type: MessageType;
    content: string;
    replyToId: string | null;
    threadRootId: string | null;
    forwarded: boolean;
  },
): Promise<MessageRow> {
  const [row] = await queryRows<{ row: MessageRowJson }>(
    tx,
    sql`
    with i as (
      insert into public.messages (id, "chatId", "senderId", seq, type, content, "replyToId",
                                   "threadRootId", forwarded)
      values (coalesce(${values.id}::uuid, gen_random_uuid()), ${values.chatId}::uuid,
              ${values.senderId}::uuid, 0, ${values.type}, ${values.content},
              ${values.replyToId}::uuid, ${values.threadRootId}::uuid, ${values.forwarded})
      returning id, "chatId", "senderId", seq, type, content, metadata, "replyToId",
                "threadRootId", forwarded, "editedAt", "deletedAt", "deletedBy", "createdAt"
    )
    select json_build_object(${messageRowJson("i")}) as row from i`,
  );
  if (!row) throw new AppError("INTERNAL_SERVER_ERROR", "Message was not stored");
  return messageRowFromJson(row.row);
}

/**
 * Sends a message. The sequence number comes from the database (gap-free per chat); a retry
 * with the same client key returns the stored message instead of sending it twice. Two
 * statements in the common case: the checks, then the insert that reads the new row back
 * with its sender and quoted message.
 */
export async function sendMessage(
  tx: Tx,
  params: { userId: string; forwarded?: boolean } & SendMessageInput,
): Promise<MessageView> {
  // Derived from the sender: a key names only the sender's own messages.
  const id = params.clientKey ? messageIdFor(params.userId, params.clientKey) : undefined;
  const chat = await loadSendContextOnce(tx, { ...params, id });
  if (id && chat.existing) {
    if (chat.existing.chatId !== chat.id || chat.existing.senderId !== params.userId) {
      throw new AppError("CONFLICT", "This key was already used for a message in another chat");
    }
    const stored = await getMessage(tx, { userId: params.userId, messageId: id });
    // A retry sends the same message; the same id with other content is another message.
    if (
      stored.content !== params.content ||
      (stored.replyTo?.id ?? undefined) !== (params.replyToId ?? undefined) ||
      (stored.threadRootId ?? undefined) !== (params.threadRootId ?? undefined)
    ) {
      throw new AppError(
        "UNPROCESSABLE_CONTENT",
        "This id was already used for a different message",
      );
    }
    return stored;
  }
  if (!chat.replyInChat) {
    throw new AppError("BAD_REQUEST", "replyToId must be a message of the same chat", {
      issues: [{ path: ["replyToId"], message: "Not a message of this chat" }],
    });
  }
  const attachmentIds = [...new Set(params.attachmentIds ?? [])];
  const uploads = attachmentIds.length
    ? await tx
        .select({ id: messageAttachments.id, mimeType: messageAttachments.mimeType })
        .from(messageAttachments)
        .where(
          and(
            inArray(messageAttachments.id, attachmentIds),
            eq(messageAttachments.chatId, chat.id),
            eq(messageAttachments.uploaderId, params.userId),
            isNull(messageAttachments.messageId),
          ),
        )
    : [];
  if (uploads.length !== attachmentIds.length) {
    throw new AppError("BAD_REQUEST", "attachmentIds must name your unsent uploads to this chat", {
      issues: [{ path: ["attachmentIds"], message: "Unknown, foreign or already sent attachment" }],
    });
  }

  const row = await insertMessage(tx, {
    id: id ?? null,
    chatId: chat.id,
    senderId: params.userId,
    type: typeFromAttachments(uploads.map((u) => u.mimeType)),
    content: params.content,
    replyToId: params.replyToId ?? null,
    threadRootId: params.threadRootId ?? null,
    forwarded: params.forwarded ?? false,
  });
  const created = row.message;
  const attached = attachmentIds.length
    ? await tx
        .update(messageAttachments)
        .set({ messageId: created.id })
        .where(inArray(messageAttachments.id, attachmentIds))
        .returning()
    : [];
  await queueLinkPreview(tx, { messageId: created.id, content: params.content, edited: false });
  publishAfterCommit(tx, {
    type: "message.created",
    chatId: chat.id,
    messageId: created.id,
    seq: created.seq,
    senderId: params.userId,
    threadRootId: created.threadRootId,
    // A reply in a thread reaches the chat lists of the thread's followers only.
    memberIds: created.threadRootId
      ? await threadFollowers(tx, { rootId: created.threadRootId })
      : chat.memberIds,
  });
  return sentMessageView({
    userId: params.userId,
    chatType: chat.type,
    row,
    attachments: attached.sort((x, y) => x.createdAt.getTime() - y.createdAt.getTime()),
  });
}

async function loadOwnable(tx: Tx, params: { userId: string; messageId: string }) {
  const [message] = await tx
    .select({
      id: messages.id,
      chatId: messages.chatId,
      seq: messages.seq,
      senderId: messages.senderId,
      type: messages.type,
      deletedAt: messages.deletedAt,
      hasAttachments: sql<boolean>`exists (select 1 from public.message_attachments a where a."messageId" = ${messages.id})`,
    })
    .from(messages)
    .where(eq(messages.id, params.messageId));
  if (!message) throw new AppError("NOT_FOUND", "Message not found");
  const chat = await loadChatAccess(tx, { userId: params.userId, chatId: message.chatId });
  return { message, chat };
}

export async function editMessage(
  tx: Tx,
  params: { userId: string; messageId: string; content: string },
): Promise<MessageView> {
  const { message, chat } = await loadOwnable(tx, params);
  if (message.senderId !== params.userId || message.type === "system") {
    throw new AppError("FORBIDDEN", "Only the sender can edit a message");
  }
  if (message.deletedAt) throw new AppError("BAD_REQUEST", "A deleted message cannot be edited");
  if (!params.content.trim() && !message.hasAttachments) {
    throw new AppError("BAD_REQUEST", "A message needs text or an attachment", {
      issues: [{ path: ["content"], message: "Must not be empty" }],
    });
  }
  await tx
    .update(messages)
    .set({ content: params.content })
    .where(eq(messages.id, message.id))
    .catch(
      refusedOverLimit(
        `A message can be edited at most ${MESSAGE_MAX_EDITS} times; send a new one instead`,
      ),
    );
  await queueLinkPreview(tx, { messageId: message.id, content: params.content, edited: true });
  publishAfterCommit(tx, {
    type: "message.updated",
    chatId: chat.id,
    messageId: message.id,
    seq: message.seq,
    memberIds: await memberIds(tx, { chatId: chat.id }),
  });
  return getMessage(tx, params);
}

/** Soft delete by the sender, a group owner/admin; the row stays, its text and files go. */
export async function deleteMessage(
  tx: Tx,
  params: { userId: string; messageId: string },
): Promise<MessageView> {
  const { message, chat } = await loadOwnable(tx, params);
  if (message.type === "system")
    throw new AppError("BAD_REQUEST", "System messages cannot be deleted");
  const moderator = chat.type === "group" && canInChat(chat, "chat.manage_group");
  if (message.senderId !== params.userId && !moderator) {
    throw new AppError("FORBIDDEN", "Only the sender or a group admin can delete a message");
  }
  if (!message.deletedAt) {
    await tx.update(messages).set({ deletedAt: new Date() }).where(eq(messages.id, message.id));
    publishAfterCommit(tx, {
      type: "message.deleted",
      chatId: chat.id,
      messageId: message.id,
      seq: message.seq,
      memberIds: await memberIds(tx, { chatId: chat.id }),
    });
  }
  return getMessage(tx, params);
}

async function reactionsOf(tx: Tx, params: { userId: string; messageId: string }) {
  const rows = await reactionSummaries(tx, {
    userId: params.userId,
    messageIds: [params.messageId],
  });
  return rows.map(({ messageId: _messageId, ...summary }) => summary);
}

export async function setReaction(
  tx: Tx,
  params: { userId: string; messageId: string; emoji: string; present: boolean },
) {
  const { message, chat } = await loadOwnable(tx, params);
  if (message.deletedAt)
    throw new AppError("BAD_REQUEST", "A deleted message cannot get reactions");
  const changed = params.present
    ? await tx
        .insert(messageReactions)
        // chatId is copied from the message by the database; this value is replaced.
        .values({
          messageId: message.id,
          userId: params.userId,
          emoji: params.emoji,
          chatId: chat.id,
        })
        .onConflictDoNothing()
        .returning({ emoji: messageReactions.emoji })
    : await tx
        .delete(messageReactions)
        .where(
          and(
            eq(messageReactions.messageId, message.id),
            eq(messageReactions.userId, params.userId),
            eq(messageReactions.emoji, params.emoji),
          ),
        )
        .returning({ emoji: messageReactions.emoji });
  if (changed.length > 0) {
    publishAfterCommit(tx, {
      type: "reaction.changed",
      chatId: chat.id,
      messageId: message.id,
      seq: message.seq,
      userId: params.userId,
      emoji: params.emoji,
      action: params.present ? "added" : "removed",
    });
  }
  return { messageId: message.id, reactions: await reactionsOf(tx, params) };
}

/** The edit history, newest first. Deleted messages have none to show. */
export async function listEdits(
  tx: Tx,
  params: { userId: string } & ListEditsInput,
): Promise<{ items: MessageEdit[]; nextCursor: string | null }> {
  await loadOwnable(tx, params);
  const rows = await tx
    .select({
      id: messageEdits.id,
      previousContent: messageEdits.previousContent,
      editedAt: messageEdits.editedAt,
      cursorAt: cursorTime(messageEdits.editedAt),
      editorId: user.id,
      editorName: user.name,
      editorImage: user.image,
    })
    .from(messageEdits)
    .leftJoin(user, eq(user.id, messageEdits.editedBy))
    .where(
      and(
        eq(messageEdits.messageId, params.messageId),
        afterTimeCursor({ at: messageEdits.editedAt, id: messageEdits.id }, params.cursor),
      ),
    )
    .orderBy(desc(messageEdits.editedAt), desc(messageEdits.id))
    .limit(params.limit + 1);
  const page = rows.slice(0, params.limit);
  const last = page.at(-1);
  return {
    items: page.map((r) => ({
      id: r.id,
      previousContent: r.previousContent,
      editedAt: r.editedAt,
      editedBy: r.editorId
        ? { id: r.editorId, name: r.editorName ?? "", image: r.editorImage }
        : null,
    })),
    nextCursor:
      rows.length > params.limit && last ? encodeTimeCursor(last.cursorAt, last.id) : null,
  };
}

/**
 * Who (other than the sender) has read up to this message, and when their pointer moved;
 * only members whose read pointer the caller may see.
 */
export async function listReaders(tx: Tx, params: { userId: string; messageId: string }) {
  const { message } = await loadOwnable(tx, params);
  const rows = await tx
    .select({
      userId: chatMembers.userId,
      name: user.name,
      image: user.image,
      readAt: chatMembers.lastReadAt,
    })
    .from(chatMembers)
    .innerJoin(user, eq(user.id, chatMembers.userId))
    .where(
      and(
        eq(chatMembers.chatId, message.chatId),
        gte(chatMembers.lastReadSeq, message.seq),
        message.senderId ? ne(chatMembers.userId, message.senderId) : undefined,
        // Read receipts are two-way: nobody who hides theirs, and nobody if the caller does.
        readPointerVisible(message.chatId),
      ),
    )
    .orderBy(asc(chatMembers.lastReadAt));
  return rows;
}
