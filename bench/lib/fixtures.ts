import { BENCH_WORKSPACE_ID } from "./users";
import type { Sql } from "postgres";
import { bulkLoad, ranges, withSecondaryIndexesDropped } from "./bulk";

/** From this many rows on, rebuilding the indexes afterwards beats maintaining them. */
const BIG_LOAD = 100_000;

/**
 * A group chat with `count` text messages, seq 1…count (ordinal = seq: all count as unread),
 * rotating through the members as senders, one second apart and ending now; every member has
 * read and received everything.
 * A big history goes in on two connections at once, with the message indexes rebuilt after.
 */
export async function createGroupWithHistory(
  sql: Sql,
  params: { name: string; ownerId: string; memberIds: string[]; count: number },
): Promise<string> {
  const members = [params.ownerId, ...params.memberIds];
  const chatId = await bulkLoad(sql, async (tx) => {
    const [chat] = await tx<{ id: string }[]>`
      insert into public.chats ("organizationId", type, name, "createdBy", "memberCount", "lastSeq", "lastOrdinal", "lastMessageAt", "createdAt")
      values (${BENCH_WORKSPACE_ID}, 'group', ${params.name}, ${params.ownerId}, ${members.length}, ${params.count}, ${params.count}, now(),
              now() - make_interval(secs => ${params.count} + 60))
      returning id`;
    if (!chat) throw new Error("chat not created");
    await tx`
      insert into public.chat_members ("chatId", "organizationId", "userId", role, "lastReadSeq", "lastReadOrdinal",
                                       "lastDeliveredSeq", "lastReadAt", "joinedAt")
      select ${chat.id}, ${BENCH_WORKSPACE_ID}::uuid, m.id, case when m.ord = 1 then 'owner' else 'member' end,
             ${params.count}, ${params.count}, ${params.count}, now(), now() - make_interval(secs => ${params.count} + 60)
      from unnest(${members}::uuid[]) with ordinality as m(id, ord)`;
    return chat.id;
  });
  const load = async () => {
    await Promise.all(
      ranges(params.count, params.count >= BIG_LOAD ? 2 : 1).map(([from, to]) =>
        bulkLoad(sql, async (tx) => {
          await tx`
            insert into public.messages ("chatId", "senderId", seq, ordinal, type, content, "createdAt")
            select ${chatId}, (${members}::uuid[])[1 + (i % ${members.length})], i, i, 'text',
                   'Message ' || i || ' in a long conversation',
                   now() - make_interval(secs => ${params.count} - i)
            from generate_series(${from}::int, ${to}::int) i`;
        }),
      ),
    );
  };
  if (params.count >= BIG_LOAD) await withSecondaryIndexesDropped(sql, "messages", load);
  else await load();
  return chatId;
}

/**
 * The caller's chat list: `direct` direct chats (one partner each) and `groups` groups (the
 * caller as owner plus four partners), each with `read` messages the caller has read and then
 * `unread` messages from the others. Chats are a minute apart in activity, newest first.
 */
export async function createChatList(
  sql: Sql,
  params: {
    me: string;
    partners: string[];
    direct: number;
    groups: number;
    read: number;
    unread: number;
  },
): Promise<void> {
  const perChat = params.read + params.unread;
  if (params.partners.length < Math.max(params.direct, 4)) throw new Error("too few partners");
  await bulkLoad(sql, async (tx) => {
    await tx`
      create temp table bench_list_chats on commit drop as
      select k, gen_random_uuid() as id,
             case when k <= ${params.direct}::int then 'direct' else 'group' end as type,
             p[1 + ((k - 1) % cardinality(p))] as other,
             array[p[1 + ((k * 4) % cardinality(p))], p[1 + ((k * 4 + 1) % cardinality(p))],
                   p[1 + ((k * 4 + 2) % cardinality(p))], p[1 + ((k * 4 + 3) % cardinality(p))]] as crew,
             now() - make_interval(mins => k) as last_at
      from generate_series(1, ${params.direct + params.groups}::int) k,
           (select ${params.partners}::uuid[] as p) partners`;
    await tx`
      insert into public.chats (id, "organizationId", type, name, "directKey", "createdBy", "memberCount", "lastSeq", "lastOrdinal", "lastMessageAt", "createdAt")
      select id, ${BENCH_WORKSPACE_ID}::uuid, type,
             case when type = 'group' then 'Group ' || k end,
             case when type = 'direct'
                  then least(${params.me}::uuid, other)::text || ':' || greatest(${params.me}::uuid, other)::text end,
             ${params.me}::uuid, case when type = 'direct' then 2 else 1 + cardinality(crew) end,
             ${perChat}::int, ${perChat}::int, last_at, last_at - interval '1 day'
      from bench_list_chats`;
    await tx`
      insert into public.chat_members ("chatId", "organizationId", "userId", role, "lastReadSeq", "lastReadOrdinal",
                                       "lastDeliveredSeq", "joinedAt")
      select id, ${BENCH_WORKSPACE_ID}::uuid, ${params.me}::uuid, case when type = 'group' then 'owner' else 'member' end,
             ${params.read}::int, ${params.read}::int, ${perChat}::int, last_at - interval '1 day'
      from bench_list_chats
      union all
      select c.id, ${BENCH_WORKSPACE_ID}::uuid, m.user_id, 'member', ${perChat}::int, ${perChat}::int, ${perChat}::int,
             c.last_at - interval '1 day'
      from bench_list_chats c,
           lateral unnest(case when c.type = 'direct' then array[c.other] else c.crew end) as m(user_id)`;
    await tx`
      insert into public.messages ("chatId", "senderId", seq, ordinal, type, content, "createdAt")
      select c.id,
             case when s <= ${params.read}::int and s % 2 = 0 then ${params.me}::uuid
                  when c.type = 'direct' then c.other
                  else c.crew[1 + (s % 4)] end,
             s, s, 'text', 'Chat list message ' || s,
             c.last_at - make_interval(secs => ${perChat}::int - s)
      from bench_list_chats c, generate_series(1, ${perChat}::int) s`;
  });
}

/** Direct chats between pairs (a[i], b[i]), empty; returns their ids in pair order. */
export async function createDirectChats(
  sql: Sql,
  pairs: Array<[string, string]>,
): Promise<string[]> {
  const a = pairs.map((p) => p[0]);
  const b = pairs.map((p) => p[1]);
  return bulkLoad(sql, async (tx) => {
    const rows = await tx<{ id: string; ord: number }[]>`
      with pairs as (
        select x.a, x.b, x.ord from unnest(${a}::uuid[], ${b}::uuid[]) with ordinality as x(a, b, ord)
      ), created as (
        insert into public.chats ("organizationId", type, "directKey", "createdBy", "memberCount")
        select ${BENCH_WORKSPACE_ID}::uuid, 'direct', least(a, b)::text || ':' || greatest(a, b)::text, a, 2 from pairs
        returning id, "directKey"
      ), members as (
        insert into public.chat_members ("chatId", "organizationId", "userId", role)
        select c.id, ${BENCH_WORKSPACE_ID}::uuid, m.user_id, 'member'
        from created c join pairs p on c."directKey" = least(p.a, p.b)::text || ':' || greatest(p.a, p.b)::text,
             lateral (values (p.a), (p.b)) as m(user_id)
      )
      select c.id, p.ord::int as ord
      from created c join pairs p on c."directKey" = least(p.a, p.b)::text || ':' || greatest(p.a, p.b)::text
      order by p.ord`;
    return rows.map((r) => r.id);
  });
}

/**
 * A group chat of `count` messages where every `every`-th message (seq 1, 1 + every, …) is in
 * the timeline and the messages between are replies in its thread, as the triggers would
 * leave them: the ordinal counts the timeline only, each thread has its totals, and the
 * thread's replier follows it. Everyone has read everything.
 */
export async function createGroupWithThreads(
  sql: Sql,
  params: { name: string; ownerId: string; memberIds: string[]; count: number; every: number },
): Promise<string> {
  const members = [params.ownerId, ...params.memberIds];
  const roots = Math.ceil(params.count / params.every);
  return bulkLoad(sql, async (tx) => {
    const [chat] = await tx<{ id: string }[]>`
      insert into public.chats ("organizationId", type, name, "createdBy", "memberCount", "lastSeq", "lastOrdinal", "lastMessageAt", "createdAt")
      values (${BENCH_WORKSPACE_ID}, 'group', ${params.name}, ${params.ownerId}, ${members.length}, ${params.count}, ${roots}, now(),
              now() - make_interval(secs => ${params.count} + 60))
      returning id`;
    if (!chat) throw new Error("chat not created");
    await tx`
      insert into public.chat_members ("chatId", "organizationId", "userId", role, "lastReadSeq", "lastReadOrdinal",
                                       "lastDeliveredSeq", "lastReadAt", "joinedAt")
      select ${chat.id}, ${BENCH_WORKSPACE_ID}::uuid, m.id, case when m.ord = 1 then 'owner' else 'member' end,
             ${params.count}, ${roots}, ${params.count}, now(), now() - make_interval(secs => ${params.count} + 60)
      from unnest(${members}::uuid[]) with ordinality as m(id, ord)`;
    // Roots first (a reply names its root's id), then the replies.
    await tx`
      insert into public.messages ("chatId", "senderId", seq, ordinal, type, content, "createdAt")
      select ${chat.id}, (${members}::uuid[])[1 + (i % ${members.length})], i,
             1 + (i - 1) / ${params.every}, 'text', 'Topic ' || i || ' to discuss',
             now() - make_interval(secs => ${params.count} - i)
      from generate_series(1, ${params.count}, ${params.every}) i`;
    await tx`
      insert into public.messages ("chatId", "senderId", seq, ordinal, type, content, "createdAt", "threadRootId")
      select ${chat.id}, (${members}::uuid[])[1 + (i % ${members.length})], i,
             1 + (i - 1) / ${params.every}, 'text', 'Reply ' || i || ' in a thread',
             now() - make_interval(secs => ${params.count} - i), r.id
      from generate_series(1, ${params.count}) i
      join public.messages r on r."chatId" = ${chat.id}
        and r.seq = 1 + ((i - 1) / ${params.every}) * ${params.every}
      where (i - 1) % ${params.every} <> 0`;
    await tx`
      insert into public.message_threads ("rootId", "chatId", "replyCount", "lastReplySeq", "lastReplyAt", "participantIds")
      select m."threadRootId", ${chat.id}, count(*)::int, max(m.seq), max(m."createdAt"),
             (array_agg(distinct m."senderId"))[1:5]
      from public.messages m where m."chatId" = ${chat.id} and m."threadRootId" is not null
      group by m."threadRootId"`;
    await tx`
      insert into public.thread_members ("rootId", "userId", "chatId", following, "lastReadSeq")
      select t."rootId", u.id, ${chat.id}, true, t."lastReplySeq"
      from public.message_threads t cross join unnest(${members}::uuid[]) as u(id)
      where t."chatId" = ${chat.id}`;
    return chat.id;
  });
}
