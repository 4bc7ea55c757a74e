import type { TransactionSql } from "postgres";
import { BENCH_WORKSPACE_ID } from "./users";

export interface ChatHistoryOptions {
  /**
   * The temp table (`k`, `id`, `type`, `others`) the chats are listed in, dropped at commit:
   * the caller's own statements join it to reach the chats' messages.
   */
  table: string;
  /** Group `k` is named `${groupName} ${k}`. */
  groupName: string;
  /** The person: they own the groups and send every other message of each chat. */
  userId: string;
  /** Everyone they talk to: the direct chat is with the first, every group has them all. */
  partnerIds: readonly string[];
  /** How many chats: the first direct, the rest groups. */
  chats: number;
  /** Messages in each chat, half of them the person's, the partners taking turns with the rest. */
  perChat: number;
  /**
   * One in this many of the person's messages has an `editedAt`, a minute after it was sent
   * (the column only: the earlier versions, if any, are the caller's). None when left out.
   */
  editEvery?: number;
}

/**
 * A person's chats and their history, generated inside `tx` (a `bulkLoad` transaction, so the
 * derived columns are written here, not by triggers): `chats` chats, the first direct with the
 * first partner, the rest groups the person owns with every partner; their members, everyone
 * read up to the last message; and `perChat` messages in each, 5 minutes apart, every other
 * one the person's. The texts are 4 to 30 words drawn from a small vocabulary, so they
 * compress about as ordinary chat does, not as a repeated sentence would.
 *
 * It exists because the account erasure's and the data export's benchmarks build the same
 * kind of person, and their figures are compared with each other: one generator keeps their
 * rows the same. What each adds on top (reactions, edits, attachments) stays with it.
 */
export async function createChatHistory(
  tx: TransactionSql,
  options: ChatHistoryOptions,
): Promise<void> {
  const { userId, partnerIds, chats, perChat, editEvery } = options;
  const table = tx(options.table);
  const edited =
    editEvery === undefined
      ? { column: tx``, value: tx`` }
      : {
          column: tx`, "editedAt"`,
          value: tx`,
             case when s % (2 * ${editEvery}::int) = 0
                  then now() - make_interval(secs => (${perChat}::int - s) * 300 + c.k - 60) end`,
        };
  await tx`
    create temp table ${table} on commit drop as
    select k, gen_random_uuid() as id,
           case when k = 1 then 'direct' else 'group' end as type,
           case when k = 1 then p[1:1] else p end as others
    from generate_series(1, ${chats}::int) k,
         (select ${partnerIds}::uuid[] as p) partners`;
  await tx`
    insert into public.chats (id, "organizationId", type, name, "directKey", "createdBy", "memberCount",
                              "lastSeq", "lastOrdinal", "lastMessageAt", "createdAt")
    select id, ${BENCH_WORKSPACE_ID}::uuid, type,
           case when type = 'group' then ${options.groupName}::text || ' ' || k end,
           case when type = 'direct'
                then least(${userId}::uuid, others[1])::text || ':' || greatest(${userId}::uuid, others[1])::text end,
           ${userId}::uuid, 1 + cardinality(others), ${perChat}::int, ${perChat}::int,
           now() - make_interval(secs => k), now() - interval '400 days'
    from ${table}`;
  await tx`
    insert into public.chat_members ("chatId", "organizationId", "userId", role, "lastReadSeq", "lastReadOrdinal",
                                     "lastDeliveredSeq", "lastReadAt", "joinedAt")
    select c.id, ${BENCH_WORKSPACE_ID}::uuid, m.user_id,
           case when c.type = 'group' and m.user_id = ${userId}::uuid then 'owner' else 'member' end,
           ${perChat}::int, ${perChat}::int, ${perChat}::int, now(), now() - interval '400 days'
    from ${table} c,
         lateral unnest(array[${userId}::uuid] || c.others) as m(user_id)`;
  await tx`
    insert into public.messages ("chatId", "senderId", seq, ordinal, type, content${edited.column}, "createdAt")
    select c.id,
           case when s % 2 = 0 then ${userId}::uuid
                else c.others[1 + (s / 2) % cardinality(c.others)] end,
           s, s, 'text',
           (select string_agg(
                     (array['the', 'launch', 'plan', 'is', 'on', 'Tuesday', 'could', 'you', 'look', 'at',
                            'draft', 'before', 'Friday', 'budget', 'call', 'thanks', 'sure', 'I', 'will',
                            'send', 'it', 'tomorrow', 'meeting', 'moved', 'to', 'room', 'three', 'and',
                            'notes', 'from', 'yesterday', 'great'])
                       [1 + get_byte(decode(md5(c.k || ':' || s || ':' || j), 'hex'), 0) % 32],
                     ' ')
            from generate_series(1, 4 + (s * 7 + c.k) % 27) j)${edited.value},
           now() - make_interval(secs => (${perChat}::int - s) * 300 + c.k)
    from ${table} c, generate_series(1, ${perChat}::int) s`;
}
