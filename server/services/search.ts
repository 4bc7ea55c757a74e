import "server-only";

import { sql } from "drizzle-orm";
import { queryRows, toDate } from "@/db/rows";
import type { Tx } from "@/db/types";
import { AppError } from "@/server/errors";
import { loadChatAccess } from "./chat-access";
import { chatTitle } from "./chat-title";

// ts_headline marks matches with these; they cannot occur in stored text (stripped below).
const START = "\u0001";
const STOP = "\u0002";

interface HitRow {
  messageId: string;
  chatId: string;
  chatType: "direct" | "group";
  chatName: string | null;
  otherName: string | null;
  seq: number;
  senderId: string | null;
  senderName: string | null;
  senderImage: string | null;
  createdAt: Date | string;
  rank: number;
  headline: string;
}

export function splitHeadline(headline: string): { text: string; match: boolean }[] {
  const parts: { text: string; match: boolean }[] = [];
  for (const chunk of headline.split(START)) {
    const [matched, rest] = chunk.includes(STOP) ? chunk.split(STOP, 2) : [undefined, chunk];
    if (matched) parts.push({ text: matched, match: true });
    if (rest) parts.push({ text: rest, match: false });
  }
  return parts;
}

function decodeCursor(cursor: string): { rank: number; id: string } {
  const [rank, id] = cursor.split("_");
  const value = Number(rank);
  if (!id || !Number.isFinite(value) || !/^[0-9a-f-]{36}$/i.test(id)) {
    throw new AppError("BAD_REQUEST", "Invalid cursor");
  }
  return { rank: value, id };
}

/**
 * Full-text search over the caller's chats (`simple` configuration, so any language), best
 * match first, with highlighted snippets and the seq to jump to. Deleted and system
 * messages are never found.
 */
export async function searchMessages(
  tx: Tx,
  params: { userId: string; query: string; chatId?: string; cursor?: string; limit: number },
) {
  if (params.chatId) await loadChatAccess(tx, { userId: params.userId, chatId: params.chatId });
  const after = params.cursor ? decodeCursor(params.cursor) : null;
  const rows = await queryRows<HitRow>(
    tx,
    sql`
    with q as (select websearch_to_tsquery('simple', ${params.query}) as query),
    hits as (
      select m.id, m."chatId", m.seq, m."senderId", m."createdAt", m.content,
        ts_rank(m."searchVector", q.query)::float8 as rank
      from public.messages m
      join public.chat_members me on me."chatId" = m."chatId" and me."userId" = ${params.userId}::uuid, q
      where m."searchVector" @@ q.query
        and m."deletedAt" is null and m.type <> 'system'
        ${params.chatId ? sql`and m."chatId" = ${params.chatId}::uuid` : sql``}
    )
    select h.id as "messageId", h."chatId", c.type as "chatType", c.name as "chatName",
      other.name as "otherName", h.seq::float8 as seq, h."senderId", s.name as "senderName",
      s.image as "senderImage", h."createdAt", h.rank,
      ts_headline('simple', translate(public.mentions_as_names(h.content), ${START + STOP}, ''), q.query,
        ${`StartSel=${START}, StopSel=${STOP}, MaxWords=30, MinWords=10, MaxFragments=2`}) as headline
    from hits h
    cross join q
    join public.chats c on c.id = h."chatId"
    left join public."user" s on s.id = h."senderId"
    left join lateral (
      select u.name from public.chat_members om join public."user" u on u.id = om."userId"
      where om."chatId" = c.id and om."userId" <> ${params.userId}::uuid limit 1
    ) other on c.type = 'direct'
    ${after ? sql`where (h.rank, h.id) < (${after.rank}::float8, ${after.id}::uuid)` : sql``}
    order by h.rank desc, h.id desc
    limit ${params.limit + 1}`,
  );
  const page = rows.slice(0, params.limit);
  const last = page.at(-1);
  return {
    hits: page.map((r) => ({
      messageId: r.messageId,
      chatId: r.chatId,
      chatTitle: chatTitle(r.chatType, r.chatName, r.otherName),
      seq: Number(r.seq),
      sender:
        r.senderId && r.senderName
          ? { id: r.senderId, name: r.senderName, image: r.senderImage }
          : null,
      createdAt: toDate(r.createdAt),
      rank: r.rank,
      snippet: splitHeadline(r.headline),
    })),
    nextCursor: rows.length > params.limit && last ? `${last.rank}_${last.messageId}` : null,
  };
}
