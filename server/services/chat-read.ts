import "server-only";

import { and, asc, eq, getTableColumns, sql } from "drizzle-orm";
import { isChatPermission } from "@/contracts/permissions";
import { queryRows, toDate } from "@/db/rows";
import { chatMembers, chats, user, userLastSeen, userStatuses } from "@/db/schema";
import {
  type ChatRole,
  type ChatType,
  type MessageType,
  type NotificationLevel,
} from "@/contracts/enums";
import type { Tx } from "@/db/types";
import { UNREAD_CAP, type ChatDetail, type ChatSummary } from "@/contracts/chats";
import { AppError } from "@/server/errors";
import { messagePreview } from "./message-preview";
import { liveStatus } from "./statuses";
import { visibleLastReadAt, visibleLastReadSeq } from "./read-receipts";
import { afterTimeCursor, cursorTime, encodeTimeCursor } from "./time-cursor";
import { chatTitle } from "./chat-title";

/**
 * Unread messages in one chat, capped: non-system messages past the member's read pointer
 * that nobody deleted. Ordinals count non-system messages and the read pointer carries the
 * ordinal it points at (see `messages.ordinal`), so this is a subtraction plus one probe of
 * the small index of deleted messages, however large the backlog. A member's own messages
 * never count: the insert trigger moves the sender's read pointer to every message they send.
 */
// From the member's read pointer, or from their "mark as unread" when it is earlier (least()
// passes over a null mark).
const unreadCountSql = (chat: SQLRef, member: SQLRef) => sql`
  least(${UNREAD_CAP}, greatest(0,
    ${chat}."lastOrdinal" - least(${member}."unreadFromOrdinal", ${member}."lastReadOrdinal")
    - (
        select count(*) from public.messages d
        where d."chatId" = ${chat}.id
          and d.seq > least(${member}."unreadFromSeq" - 1, ${member}."lastReadSeq")
          and d."deletedAt" is not null and d.type <> 'system' and d."threadRootId" is null
      )
  ))::int`;
type SQLRef = ReturnType<typeof sql.raw>;

interface ChatListRow {
  id: string;
  type: ChatType;
  name: string | null;
  avatarPath: string | null;
  lastSeq: number;
  activityAt: Date | string;
  cursorAt: string;
  role: ChatRole;
  mutedUntil: Date | string | null;
  notificationLevel: NotificationLevel;
  memberCount: number;
  unreadCount: number;
  unreadThreads: number;
  unreadMentions: number;
  otherId: string | null;
  otherName: string | null;
  otherImage: string | null;
  lmId: string | null;
  lmSeq: number | null;
  lmType: MessageType | null;
  lmContent: string | null;
  lmMetadata: unknown;
  lmDeletedAt: Date | string | null;
  lmCreatedAt: Date | string | null;
  lmSenderId: string | null;
  lmSenderName: string | null;
}

export const isMuted = (mutedUntil: Date | null, now = new Date()) =>
  mutedUntil !== null && mutedUntil.getTime() > now.getTime();

/**
 * The caller's chats, most recently active first, in ONE query: title and image (a direct
 * chat's are the other person's), last message, unread count, role, mute and member count.
 * Hidden chats are left out until a new message un-hides them.
 */
export async function listChats(
  tx: Tx,
  params: { userId: string; cursor?: string; limit: number },
): Promise<{ items: ChatSummary[]; nextCursor: string | null }> {
  const activity = sql`coalesce(c."lastMessageAt", c."createdAt")`;
  const after = afterTimeCursor({ at: activity, id: sql`c.id` }, params.cursor);
  // The page of chats first, then the per-chat lookups for those rows only.
  const rows = await queryRows<ChatListRow>(
    tx,
    sql`
    with page as (
      select c.id, c.type, c.name, c."avatarPath", c."directKey", c."memberCount", c."lastSeq", c."lastOrdinal",
        ${activity} as "activityAt", ${cursorTime(activity)} as "cursorAt",
        me.role, me."mutedUntil", me."notificationLevel", me."lastReadSeq", me."lastReadOrdinal",
        me."unreadFromSeq", me."unreadFromOrdinal", me."userId" as "meId"
      from public.chat_members me
      join public.chats c on c.id = me."chatId"
      where me."userId" = ${params.userId}::uuid and me."hiddenAt" is null
        ${after ? sql`and ${after}` : sql``}
      order by ${activity} desc, c.id desc
      limit ${params.limit + 1}
    )
    select p.id, p.type, p.name, p."avatarPath", p."lastSeq"::float8 as "lastSeq",
      p."activityAt", p."cursorAt", p.role, p."mutedUntil", p."notificationLevel",
      p."memberCount",
      ${unreadCountSql(sql.raw(`p`), sql.raw(`p`))} as "unreadCount",
      (select count(*)::int from public.thread_members tm
       join public.message_threads t on t."rootId" = tm."rootId"
       where tm."userId" = p."meId" and tm."chatId" = p.id and tm.following
         and t."lastReplySeq" > tm."lastReadSeq") as "unreadThreads",
      (select count(*)::int from public.message_mentions mm
       where mm."chatId" = p.id and mm."userId" = p."meId" and mm."threadRootId" is null
         and mm.seq > least(p."unreadFromSeq" - 1, p."lastReadSeq")) as "unreadMentions",
      other.id as "otherId", other.name as "otherName", other.image as "otherImage",
      lm.id as "lmId", lm.seq::float8 as "lmSeq", lm.type as "lmType", lm.content as "lmContent",
      lm.metadata as "lmMetadata", lm."deletedAt" as "lmDeletedAt", lm."createdAt" as "lmCreatedAt",
      lm."senderId" as "lmSenderId", sender.name as "lmSenderName"
    from page p
    -- A direct chat's key names both people: the other is the one who is not the caller.
    left join public."user" other on p.type = 'direct' and other.id = (
      case when split_part(p."directKey", ':', 1)::uuid = p."meId"
           then split_part(p."directKey", ':', 2) else split_part(p."directKey", ':', 1) end
    )::uuid
    -- The last message of the timeline: replies in threads are not the chat's latest word.
    left join lateral (
      select m.id, m.seq, m.type, public.mentions_as_names(m.content) as content, m.metadata, m."deletedAt", m."createdAt", m."senderId"
      from public.messages m where m."chatId" = p.id and m."threadRootId" is null
      order by m.seq desc limit 1
    ) lm on true
    left join public."user" sender on sender.id = lm."senderId"
    order by p."activityAt" desc, p.id desc`,
  );

  const page = rows.slice(0, params.limit);
  const items = page.map((row): ChatSummary => ({
    id: row.id,
    type: row.type,
    title: chatTitle(row.type, row.name, row.otherName),
    image: row.type === "group" ? row.avatarPath : row.otherImage,
    directUserId: row.type === "direct" ? row.otherId : null,
    lastSeq: Number(row.lastSeq),
    lastMessage:
      row.lmId && row.lmType && row.lmCreatedAt
        ? {
            id: row.lmId,
            seq: Number(row.lmSeq),
            type: row.lmType,
            senderId: row.lmSenderId,
            senderName: row.lmSenderName,
            preview: messagePreview({
              type: row.lmType,
              content: row.lmContent ?? "",
              deletedAt: toDate(row.lmDeletedAt),
              metadata: row.lmMetadata,
            }),
            createdAt: toDate(row.lmCreatedAt),
          }
        : null,
    activityAt: toDate(row.activityAt),
    unreadCount: row.unreadCount,
    unreadThreads: row.unreadThreads,
    unreadMentions: row.unreadMentions,
    myRole: row.role,
    muted: isMuted(toDate(row.mutedUntil)) || row.notificationLevel === "none",
    mutedUntil: toDate(row.mutedUntil),
    notificationLevel: row.notificationLevel,
    memberCount: row.memberCount,
  }));
  const last = page.at(-1);
  return {
    items,
    nextCursor:
      rows.length > params.limit && last ? encodeTimeCursor(last.cursorAt, last.id) : null,
  };
}

/**
 * A chat with its members and their delivered pointers, and their read pointers where read
 * receipts allow; NOT_FOUND unless a member.
 */
export async function getChat(
  tx: Tx,
  params: { userId: string; chatId: string },
): Promise<ChatDetail> {
  const [chat] = await tx
    .select({ ...getTableColumns(chats), myPermissions: sql<string[]>`public.my_permissions()` })
    .from(chats)
    .where(eq(chats.id, params.chatId));
  if (!chat) throw new AppError("NOT_FOUND", "Chat not found");
  const members = await tx
    .select({
      userId: chatMembers.userId,
      name: user.name,
      image: user.image,
      statusEmoji: userStatuses.emoji,
      statusText: userStatuses.text,
      statusExpiresAt: userStatuses.expiresAt,
      lastSeenAt: userLastSeen.lastSeenAt,
      role: chatMembers.role,
      joinedAt: chatMembers.joinedAt,
      // Another member's read pointer only where read receipts allow (read-receipts.ts).
      lastReadSeq: visibleLastReadSeq(params.chatId),
      lastReadAt: visibleLastReadAt(params.chatId),
      lastDeliveredSeq: chatMembers.lastDeliveredSeq,
      unreadFromSeq: chatMembers.unreadFromSeq,
      mutedUntil: chatMembers.mutedUntil,
      notificationLevel: chatMembers.notificationLevel,
    })
    .from(chatMembers)
    .innerJoin(user, eq(user.id, chatMembers.userId))
    .leftJoin(userStatuses, and(eq(userStatuses.userId, chatMembers.userId), liveStatus()))
    .leftJoin(userLastSeen, eq(userLastSeen.userId, chatMembers.userId))
    .where(eq(chatMembers.chatId, params.chatId))
    .orderBy(asc(chatMembers.joinedAt), asc(user.name));
  const me = members.find((m) => m.userId === params.userId);
  if (!me) throw new AppError("NOT_FOUND", "Chat not found");
  const other =
    chat.type === "direct" ? members.find((m) => m.userId !== params.userId) : undefined;
  return {
    id: chat.id,
    type: chat.type,
    visibility: chat.visibility,
    title: chatTitle(chat.type, chat.name, other?.name ?? null),
    name: chat.name,
    description: chat.description,
    image: chat.type === "group" ? chat.avatarPath : (other?.image ?? null),
    createdBy: chat.createdBy,
    createdAt: chat.createdAt,
    lastSeq: chat.lastSeq,
    myRole: me.role,
    myPermissions: chat.myPermissions.filter(isChatPermission),
    mutedUntil: me.mutedUntil,
    notificationLevel: me.notificationLevel,
    lastReadSeq: me.lastReadSeq,
    lastDeliveredSeq: me.lastDeliveredSeq,
    unreadFromSeq: me.unreadFromSeq,
    members: members.map((m) => ({
      userId: m.userId,
      name: m.name,
      image: m.image,
      // Text is never null for a status that exists.
      status:
        m.statusText === null
          ? null
          : { emoji: m.statusEmoji, text: m.statusText, expiresAt: m.statusExpiresAt },
      role: m.role,
      joinedAt: m.joinedAt,
      lastReadSeq: m.lastReadSeq,
      lastReadAt: m.lastReadAt,
      lastDeliveredSeq: m.lastDeliveredSeq,
      lastSeenAt: m.lastSeenAt,
    })),
  };
}

/** The caller's unread count in one chat (capped). */
export async function unreadCount(
  tx: Tx,
  params: { userId: string; chatId: string },
): Promise<number> {
  const [row] = await queryRows<{ n: number }>(
    tx,
    sql`select ${unreadCountSql(sql.raw(`c`), sql.raw(`me`))} as n
        from public.chat_members me join public.chats c on c.id = me."chatId"
        where me."chatId" = ${params.chatId}::uuid and me."userId" = ${params.userId}::uuid`,
  );
  return row?.n ?? 0;
}

/** For the navigation badge: unread messages over all visible chats, and how many chats. */
export async function unreadTotal(
  tx: Tx,
  params: { userId: string },
): Promise<{ total: number; chats: number }> {
  const [row] = await queryRows<{ total: number; chats: number }>(
    tx,
    sql`select coalesce(sum(n), 0)::int as total, count(*) filter (where n > 0)::int as chats
        from (
          select ${unreadCountSql(sql.raw(`c`), sql.raw(`me`))} as n
          from public.chat_members me join public.chats c on c.id = me."chatId"
          where me."userId" = ${params.userId}::uuid and me."hiddenAt" is null
          -- Materialised, so each chat is counted once and not again for every use of n.
          offset 0
        ) per_chat`,
  );
  return { total: row?.total ?? 0, chats: row?.chats ?? 0 };
}

/** The ids of a chat's members (for fanning events out to their user channels). */
export async function memberIds(tx: Tx, params: { chatId: string }): Promise<string[]> {
  const rows = await tx
    .select({ userId: chatMembers.userId })
    .from(chatMembers)
    .where(and(eq(chatMembers.chatId, params.chatId)));
  return rows.map((r) => r.userId);
}
