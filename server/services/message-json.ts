import "server-only";

import { sql, type SQL } from "drizzle-orm";
import type { MessageRow } from "./message-rows";

/**
 * The pairs of a `json_build_object(…)` that write the message row aliased `alias` as a
 * MessageRow: the message, its sender, and the message it quotes with that one's sender's
 * name. The sender and the quote are subqueries per message: as joins, the planner may hash
 * the whole messages table to find a page's few quoted messages. Built once per alias: the
 * text is constant, so composing it into a statement costs nothing per request.
 */
function messageRowPairs(alias: string): SQL {
  const a = alias;
  return sql.raw(`
    'message', json_build_object(
      'id', ${a}.id, 'chatId', ${a}."chatId", 'senderId', ${a}."senderId", 'seq', ${a}.seq,
      'type', ${a}.type, 'content', ${a}.content, 'metadata', ${a}.metadata,
      'threadRootId', ${a}."threadRootId", 'forwarded', ${a}.forwarded,
      'editedAt', ${a}."editedAt", 'deletedAt', ${a}."deletedAt", 'deletedBy', ${a}."deletedBy",
      'createdAt', ${a}."createdAt"),
    -- The people its text mentions, named as the caller may see them; most messages have
    -- none, and strpos spares them the pattern. "= any(array(…))" probes the primary key per
    -- id: "id::text in (…)" would read every user the caller may see.
    'mentions', case when strpos(${a}.content, '<@') > 0 then (
      select json_agg(json_build_object('id', u.id, 'name', u.name))
      from public."user" u
      where u.id = any(array(select t::uuid from public.mention_targets(${a}.content) t
                             where t not in ('here', 'channel')))) end,
    'sender', (
      select json_build_object('id', s.id, 'name', s.name, 'image', s.image)
      from public."user" s
      where s.id = ${a}."senderId"),
    'reply', (
      select json_build_object('id', r.id, 'seq', r.seq, 'type', r.type,
                               'content', public.mentions_as_names(r.content),
                               'metadata', r.metadata, 'deletedAt', r."deletedAt",
                               'senderName', rs.name)
      from public.messages r
      left join public."user" rs on rs.id = r."senderId"
      where r.id = ${a}."replyToId")`);
}

const pairs = new Map<string, SQL>();

/** `messageRowPairs` for `alias`, built on first use. */
export function messageRowJson(alias: string): SQL {
  let built = pairs.get(alias);
  if (!built) {
    built = messageRowPairs(alias);
    pairs.set(alias, built);
  }
  return built;
}

/** Timestamps as JSON writes them: ISO 8601 text. */
type JsonDates<T> = {
  [K in keyof T]: T[K] extends Date ? string : T[K] extends Date | null ? string | null : T[K];
};

/** A MessageRow as `messageRowJson` writes it. */
export interface MessageRowJson {
  message: JsonDates<MessageRow["message"]>;
  sender: MessageRow["sender"];
  mentions: MessageRow["mentions"] | null;
  reply: (JsonDates<NonNullable<MessageRow["reply"]>> & { senderName: string | null }) | null;
}

const time = (value: string | null) => (value === null ? null : new Date(value));

/** The MessageRow that `messageRowJson` wrote. */
export function messageRowFromJson({
  message,
  sender,
  mentions,
  reply,
}: MessageRowJson): MessageRow {
  return {
    message: {
      ...message,
      editedAt: time(message.editedAt),
      deletedAt: time(message.deletedAt),
      createdAt: new Date(message.createdAt),
    },
    sender,
    mentions: mentions ?? [],
    reply: reply && {
      id: reply.id,
      seq: reply.seq,
      type: reply.type,
      content: reply.content,
      metadata: reply.metadata,
      deletedAt: time(reply.deletedAt),
    },
    replySenderName: reply?.senderName ?? null,
  };
}
