import "server-only";

import { sql } from "drizzle-orm";
import { queryRows } from "@/db/rows";
import type { Database } from "@/db/types";
import type { ChatType, MentionKind, MessageType, NotificationLevel } from "@/contracts/enums";
import { preferencesFromMetas, type Preferences } from "@/contracts/preferences";
import { notificationMetas } from "./notification-metas";

/** A new message, as the pipeline decides about it. */
export interface PipelineMessage {
  id: string;
  chatId: string;
  seq: number;
  type: MessageType;
  senderId: string | null;
  deleted: boolean;
  threadRootId: string | null;
}

/** One member who may hear of it, with everything the decision reads. */
export interface Candidate {
  userId: string;
  chatType: ChatType;
  chatLevel: NotificationLevel;
  mutedUntil: Date | null;
  mention: MentionKind | null;
  alreadyRead: boolean;
  preferences: Preferences;
  pushDevices: number;
  recentPushes: number;
}

interface Row {
  userId: string;
  chatType: ChatType;
  chatLevel: NotificationLevel;
  mutedUntil: string | Date | null;
  mention: MentionKind | null;
  alreadyRead: boolean;
  metas: { key: string; value: unknown }[] | null;
  pushDevices: number;
  recentPushes: number;
}

/**
 * The message and the members who may hear of it, as the database has them now (after the
 * grace period): everyone in the chat but the sender and the banned; for a reply in a thread,
 * those who follow the thread or are mentioned in it. Each with their mute, level, mention,
 * whether they read it already, their notification preferences and their push devices. On
 * the owner connection: the pipeline acts for every member, and reads no more than this.
 */
export async function loadCandidates(
  db: Database,
  messageId: string,
): Promise<{ message: PipelineMessage; candidates: Candidate[] } | null> {
  const [message] = await queryRows<PipelineMessage & { seq: number | string }>(
    db,
    sql`select m.id, m."chatId", m.seq::float8 as seq, m.type, m."senderId",
          m."deletedAt" is not null or c."deletedAt" is not null as deleted, m."threadRootId"
        from public.messages m join public.chats c on c.id = m."chatId"
        where m.id = ${messageId}::uuid`,
  );
  if (!message) return null;
  const rows = await queryRows<Row>(
    db,
    sql`select cm."userId", c.type as "chatType", cm."notificationLevel" as "chatLevel",
          cm."mutedUntil", mm.kind as mention,
          case when m."threadRootId" is null then cm."lastReadSeq" >= m.seq
               else coalesce(tm."lastReadSeq", 0) >= m.seq end as "alreadyRead",
          ${notificationMetas(`cm."userId"`)} as metas,
          (select count(*)::int from public.push_subscriptions ps
           where ps."userId" = cm."userId") as "pushDevices",
          (select count(*)::int from public.push_deliveries pd
           where pd."userId" = cm."userId"
             and pd."createdAt" > now() - interval '1 minute') as "recentPushes"
        from public.messages m
        join public.chats c on c.id = m."chatId"
        join public.chat_members cm on cm."chatId" = m."chatId"
        join public."user" u on u.id = cm."userId"
        left join public.message_mentions mm on mm."messageId" = m.id and mm."userId" = cm."userId"
        left join public.thread_members tm
          on tm."rootId" = m."threadRootId" and tm."userId" = cm."userId"
        where m.id = ${messageId}::uuid
          and cm."userId" is distinct from m."senderId"
          and not (u.banned and (u."banExpires" is null or u."banExpires" > now()))
          and (m."threadRootId" is null or tm.following or mm.kind is not null)
        order by cm."userId"`,
  );
  return {
    message: { ...message, seq: Number(message.seq) },
    candidates: rows.map((row) => ({
      userId: row.userId,
      chatType: row.chatType,
      chatLevel: row.chatLevel,
      mutedUntil: row.mutedUntil === null ? null : new Date(row.mutedUntil),
      mention: row.mention,
      alreadyRead: row.alreadyRead,
      preferences: preferencesFromMetas(row.metas ?? []).preferences,
      pushDevices: row.pushDevices,
      recentPushes: row.recentPushes,
    })),
  };
}
