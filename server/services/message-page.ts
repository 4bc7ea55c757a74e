import "server-only";

import { sql, type SQL } from "drizzle-orm";
import { queryRows } from "@/db/rows";
import type { ChatRole, ChatType } from "@/contracts/enums";
import type { Tx } from "@/db/types";
import { messageRowFromJson, messageRowJson, type MessageRowJson } from "./message-json";
import {
  REACTION_NAMES_SHOWN,
  type MemberPointers,
  type MessagePage,
  type PageMessage,
} from "./message-rows";

/** Which side of a seq a page reads, and in which order it takes the `limit` nearest. */
export type PageBound =
  | { before: number } // seq < before, the newest first
  | { after: number } // seq > after, the oldest first
  | { from: number } // seq >= from, the oldest first
  | { only: string }; // the one message with this id

/** A page as the statement writes it: JSON, so both drivers read it the same way. */
interface PageJson {
  id: string;
  type: ChatType;
  lastSeq: number;
  firstInScope: number | null;
  lastInScope: number | null;
  myRole: ChatRole;
  myPermissions: string[];
  others: MemberPointers[];
  messages: JsonMessage[];
}

type JsonMessage = MessageRowJson &
  Pick<PageMessage, "reactions" | "attachments" | "saved" | "linkPreview"> & {
    pinned: { by: string | null; byMe: boolean; at: string } | null;
    thread:
      (Omit<NonNullable<PageMessage["thread"]>, "lastReplyAt"> & { lastReplyAt: string }) | null;
  };

/**
 * Which messages a page reads: the chat's timeline (no replies in threads), or the replies
 * in one message's thread.
 */
export type PageScope = { timeline: true } | { threadRootId: string };

function inScope(scope: PageScope, alias: string): SQL {
  return "threadRootId" in scope
    ? sql`${sql.raw(alias)}."threadRootId" = ${scope.threadRootId}::uuid`
    : sql`${sql.raw(alias)}."threadRootId" is null`;
}

function keyset(bound: PageBound): { condition: SQL; order: SQL } {
  if ("before" in bound) return { condition: sql`m.seq < ${bound.before}`, order: sql`desc` };
  if ("after" in bound) return { condition: sql`m.seq > ${bound.after}`, order: sql`asc` };
  if ("only" in bound) return { condition: sql`m.id = ${bound.only}::uuid`, order: sql`asc` };
  return { condition: sql`m.seq >= ${bound.from}`, order: sql`asc` };
}

// A guard for the literal, far above any page the contracts allow (100, plus one to look ahead).
const MAX_PAGE_LIMIT = 1_000;

/**
 * The page size as a literal in the statement's text, not a parameter. With `limit $n`,
 * Postgres's generic plan for the prepared statement cannot know the page's size, so it
 * costs about six times the custom one and is never chosen: every page was planned again,
 * which took longer than running it. With the literal, the generic plan costs what the custom one
 * does and is reused after five executions. The sizes are few (the contracts cap them), so
 * the statement texts are few too.
 */
function pageLimit(limit: number): SQL {
  if (!Number.isSafeInteger(limit) || limit < 1 || limit > MAX_PAGE_LIMIT) {
    throw new RangeError(`page limit out of range: ${limit}`);
  }
  return sql.raw(String(limit));
}

/**
 * A page of a chat's messages in one statement: the caller's access to the chat, up to
 * `limit` messages on one side of a seq (keyset on `(chatId, seq)`, never OFFSET), each with
 * its sender, the message it quotes, its reactions and its attachments, and the other
 * members' pointers for the status of the caller's own messages. Row-level security decides
 * every table it reads, as for any statement; `undefined` when the caller is not in the chat.
 *
 * The page comes back as one JSON value: the statement is one round trip, and reading it is
 * one `JSON.parse` rather than a mapping of a hundred columns per row.
 */
export async function loadMessagePage(
  tx: Tx,
  params: { userId: string; chatId: string; bound: PageBound; limit: number; scope?: PageScope },
): Promise<MessagePage | undefined> {
  const { userId, chatId, limit } = params;
  const { condition, order } = keyset(params.bound);
  // One message by id is read wherever it is; a page keeps to its scope, whose first and last
  // seq say whether there is more of it on either side.
  const single = "only" in params.bound;
  const scope = params.scope ?? { timeline: true };
  const scoped = single ? sql`true` : inScope(scope, "m");
  const scopeEnd = (direction: SQL) =>
    single
      ? sql`null::bigint`
      : sql`(select s.seq from public.messages s
             where s."chatId" = ${chatId}::uuid and ${inScope(scope, "s")}
             order by s.seq ${direction} limit 1)`;
  const [row] = await queryRows<{ page: PageJson }>(
    tx,
    sql`
    with chat as (
      select c.id, c.type, c."lastSeq", me.role
      from public.chats c
      join public.chat_members me on me."chatId" = c.id and me."userId" = ${userId}::uuid
      where c.id = ${chatId}::uuid
    ),
    page as (
      select m.id, m."chatId", m."senderId", m.seq, m.type, m.content, m."replyToId",
             m."threadRootId", m.forwarded, m.metadata, m."editedAt", m."deletedAt", m."deletedBy",
             m."createdAt"
      from public.messages m
      where m."chatId" = ${chatId}::uuid and ${scoped} and ${condition}
      order by m.seq ${order}
      limit ${pageLimit(limit)}
    ),
    reactions as (
      select r."messageId",
             json_agg(json_build_object('emoji', r.emoji, 'count', r.count,
                                        'reactedByMe', r.mine, 'names', r.names)
                      order by r.first) as list
      from (
        select mr."messageId", mr.emoji, count(*)::int as count,
               bool_or(mr."userId" = ${userId}::uuid) as mine,
               coalesce((array_agg(u.name order by mr."createdAt")
                         filter (where u.name is not null))[1:${REACTION_NAMES_SHOWN}], '{}') as names,
               min(mr."createdAt") as first
        from public.message_reactions mr
        left join public."user" u on u.id = mr."userId"
        where mr."messageId" in (select id from page)
        group by mr."messageId", mr.emoji
      ) r
      group by r."messageId"
    ),
    attachments as (
      select a."messageId",
             json_agg(json_build_object('id', a.id, 'fileName', a."fileName",
                                        'fileSize', a."fileSize", 'mimeType', a."mimeType",
                                        'width', a.width, 'height', a.height,
                                        'storagePath', a."storagePath",
                                        'thumbnailPath', a."thumbnailPath")
                      order by a."createdAt") as list
      from public.message_attachments a
      where a."messageId" in (select id from page)
      group by a."messageId"
    )
    select json_build_object(
      'id', chat.id, 'type', chat.type, 'lastSeq', chat."lastSeq", 'myRole', chat.role,
      'myPermissions', public.my_permissions(),
      'firstInScope', ${scopeEnd(sql`asc`)}, 'lastInScope', ${scopeEnd(sql`desc`)},
      'others', coalesce((
        select json_agg(json_build_object(
          -- A hidden read pointer reads as nothing read (read-receipts.ts).
          'lastReadSeq', case when o."userId" in (select public.hidden_read_pointers(${chatId}::uuid))
                              then 0 else o."lastReadSeq" end,
          'lastDeliveredSeq', o."lastDeliveredSeq"))
        from public.chat_members o
        where o."chatId" = chat.id and o."userId" <> ${userId}::uuid
      ), '[]'),
      'messages', coalesce((
        select json_agg(json_build_object(
          ${messageRowJson("p")},
          'reactions', coalesce(pr.list, '[]'),
          'attachments', coalesce(pa.list, '[]'),
          'pinned', (select json_build_object('by', pu.name,
                       'byMe', pin."pinnedBy" is not distinct from ${userId}::uuid, 'at', pin."pinnedAt")
                     from public.message_pins pin
                     left join public."user" pu on pu.id = pin."pinnedBy"
                     where pin."messageId" = p.id),
          'saved', exists (select 1 from public.saved_messages sm
                           where sm."userId" = ${userId}::uuid and sm."messageId" = p.id),
          'linkPreview', (select json_build_object('url', lp.url, 'title', lp.title,
                                                   'description', lp.description,
                                                   'siteName', lp."siteName")
                          from public.message_link_previews lp where lp."messageId" = p.id),
          'thread', (select json_build_object(
                       'replyCount', t."replyCount", 'lastReplyAt', t."lastReplyAt",
                       'participants', (select coalesce(json_agg(json_build_object(
                                                 'id', tu.id, 'name', tu.name, 'image', tu.image)
                                               order by array_position(t."participantIds", tu.id)), '[]')
                                        from public."user" tu where tu.id = any(t."participantIds")),
                       'following', coalesce(tm.following, false),
                       'unread', coalesce(tm.following and t."lastReplySeq" > tm."lastReadSeq", false))
                     from public.message_threads t
                     left join public.thread_members tm
                       on tm."rootId" = t."rootId" and tm."userId" = ${userId}::uuid
                     where t."rootId" = p.id))
          order by p.seq)
        from page p
        left join reactions pr on pr."messageId" = p.id
        left join attachments pa on pa."messageId" = p.id
      ), '[]')
    ) as page
    from chat`,
  );
  if (!row) return undefined;
  const page = row.page;
  return {
    chat: {
      id: page.id,
      type: page.type,
      lastSeq: page.lastSeq,
      myRole: page.myRole,
      myPermissions: page.myPermissions,
    },
    scopeSeqs:
      page.firstInScope === null || page.lastInScope === null
        ? null
        : { first: Number(page.firstInScope), last: Number(page.lastInScope) },
    others: page.others,
    messages: page.messages.map((json) => ({
      ...messageRowFromJson(json),
      reactions: json.reactions,
      attachments: json.attachments,
      pinned: json.pinned && { ...json.pinned, at: new Date(json.pinned.at) },
      saved: json.saved,
      linkPreview: json.linkPreview,
      thread: json.thread && { ...json.thread, lastReplyAt: new Date(json.thread.lastReplyAt) },
    })),
  };
}
