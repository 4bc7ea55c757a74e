import "server-only";

import { sql } from "drizzle-orm";
import { queryRows, toDate } from "@/db/rows";
import type { MessageType } from "@/contracts/enums";
import type { Tx } from "@/db/types";
import { DASHBOARD_DAYS, KEY_EVENT_ACTIONS, type DashboardSummary } from "@/contracts/dashboard";
import { messagePreview } from "./message-preview";
import { lastWeekTotals, requestsPerDay } from "./request-stats";
import { chatTitle } from "./chat-title";

const RECENT_LIMIT = 6;

interface RecentMessageRow {
  id: string;
  chatId: string;
  chatType: "direct" | "group";
  chatName: string | null;
  otherName: string | null;
  senderId: string | null;
  senderName: string | null;
  type: MessageType;
  content: string;
  metadata: unknown;
  createdAt: Date | string;
}

interface KeyEventRow {
  id: string;
  action: (typeof KEY_EVENT_ACTIONS)[number];
  keyName: string | null;
  keyPrefix: string | null;
  byAdmin: boolean;
  createdAt: Date | string;
}

/**
 * The signed-in user's dashboard, as that user under RLS. Every part is narrowed to the
 * caller explicitly as well: an admin's policies would otherwise let everyone's audit rows in.
 */
export async function dashboardSummary(
  tx: Tx,
  params: { userId: string; now?: Date },
): Promise<DashboardSummary> {
  const me = sql`${params.userId}::uuid`;
  const [chats] = await queryRows<{ count: number }>(
    tx,
    sql`select count(*)::int as count from public.chat_members me
        where me."userId" = ${me} and me."hiddenAt" is null`,
  );
  const days = await requestsPerDay(tx, {
    days: DASHBOARD_DAYS,
    scope: sql`l."userId" = ${me}`,
    now: params.now,
  });

  const messages = await queryRows<RecentMessageRow>(
    tx,
    sql`select m.id, m."chatId", c.type as "chatType", c.name as "chatName",
          other.name as "otherName", m."senderId", sender.name as "senderName",
          m.type, m.content, m.metadata, m."createdAt"
        from public.chat_members me
        join public.chats c on c.id = me."chatId"
        join lateral (
          select * from public.messages m
          where m."chatId" = me."chatId" and m."deletedAt" is null and m.type <> 'system'
          order by m.seq desc limit ${RECENT_LIMIT}
        ) m on true
        left join public."user" sender on sender.id = m."senderId"
        left join lateral (
          select u.name from public.chat_members om join public."user" u on u.id = om."userId"
          where om."chatId" = c.id and om."userId" <> me."userId" limit 1
        ) other on c.type = 'direct'
        where me."userId" = ${me} and me."hiddenAt" is null
        order by m."createdAt" desc, m.id desc
        limit ${RECENT_LIMIT}`,
  );

  const keyEvents = await queryRows<KeyEventRow>(
    tx,
    sql`select l.id, l.details ->> 'action' as action,
          coalesce(k.name, l.details ->> 'name') as "keyName",
          coalesce(l.details ->> 'prefix', k.prefix) as "keyPrefix",
          (l."actorId" is distinct from l."userId") as "byAdmin", l."createdAt"
        from public.api_audit_logs l
        left join public.api_keys k on k.id = l."apiKeyId"
        where l."userId" = ${me} and l.method = 'TRPC' and l."statusCode" < 400
          and l.details ->> 'action' in (${sql.join(
            KEY_EVENT_ACTIONS.map((a) => sql`${a}`),
            sql`, `,
          )})
        order by l."createdAt" desc, l.id desc
        limit ${RECENT_LIMIT}`,
  );

  return {
    chats: chats?.count ?? 0,
    requests: lastWeekTotals(days),
    days,
    recentMessages: messages.map((row) => ({
      id: row.id,
      chatId: row.chatId,
      chatTitle: chatTitle(row.chatType, row.chatName, row.otherName),
      senderId: row.senderId,
      senderName: row.senderId === params.userId ? "You" : (row.senderName ?? "Deleted user"),
      preview: messagePreview({
        type: row.type,
        content: row.content,
        deletedAt: null,
        metadata: row.metadata,
      }),
      createdAt: toDate(row.createdAt),
    })),
    keyEvents: keyEvents.map((row) => ({ ...row, createdAt: toDate(row.createdAt) })),
  };
}
