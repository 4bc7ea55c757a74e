import type { Sql } from "postgres";
import { mentionToken } from "@/lib/markdown/mentions";
import { listChats } from "@/server/services/chat-read";
import { withAppDatabase } from "./lib/app-database";
import { bulkLoad, vacuumAnalyze } from "./lib/bulk";
import { captureStatements, explain, type Statement } from "./lib/capture";
import type { Benchmark, BenchContext } from "./lib/context";
import { createChatList } from "./lib/fixtures";
import { createGroup, rotated, sendAs, timed, type BenchGroup } from "./lib/groups";
import type { BenchResult } from "./lib/result";
import { median, round, summarize } from "./lib/stats";
import { createUsers } from "./lib/users";

const SIZES = [10, 200] as const;
const LIST_LIMIT = 30;
const LIST_RUNS = 31;
/** Past three runs of the list statements, stop once this much time went into them. */
const LIST_BUDGET_MS = 25_000;

function settings(quick: boolean) {
  return quick
    ? {
        send: { warmupRounds: 3, rounds: 20, minRounds: 5, budgetMs: 5_000 },
        elsewhere: 1_000,
        sendAgain: { warmupRounds: 2, rounds: 10, minRounds: 5, budgetMs: 3_000 },
        list: { direct: 16, groups: 4, read: 5, unread: 20, mentionEvery: 5 },
      }
    : {
        send: { warmupRounds: 10, rounds: 400, minRounds: 30, budgetMs: 40_000 },
        // A send naming someone now takes about 20 µs more for each of these people: enough
        // to see it, and few enough for the rounds to fit in their budget.
        elsewhere: 5_000,
        sendAgain: { warmupRounds: 2, rounds: 200, minRounds: 10, budgetMs: 15_000 },
        // The chat-list benchmark's fixture: 500 chats with 200 unread each; one message in
        // twenty mentions the reader, the last of every chat among them.
        list: { direct: 400, groups: 100, read: 20, unread: 200, mentionEvery: 20 },
      };
}

type Kind = "plain" | "three" | "channel";
const KINDS: readonly Kind[] = ["plain", "three", "channel"];

/**
 * The texts a round sends in a group: the same sentence naming three members in plain text,
 * as three mentions (`<@id>`: the guard checks them, the trigger writes three rows, the
 * returned message names them), and one `<@channel>` (a row for every other member).
 */
function texts(group: BenchGroup): Record<Kind, string> {
  const [a, b, c] = group.others;
  if (!a || !b || !c) throw new Error("a group needs three others to mention");
  return {
    plain: `Could ${a.name}, ${b.name} and ${c.name} look at the draft before Friday?`,
    three: `Could ${mentionToken(a.id)}, ${mentionToken(b.id)} and ${mentionToken(c.id)} look at the draft before Friday?`,
    channel: `${mentionToken("channel")} could everyone look at the draft before Friday?`,
  };
}

interface Rounds {
  warmupRounds: number;
  rounds: number;
  minRounds: number;
  budgetMs: number;
}

/** The send path with and without mentions: every kind in both groups, each round. */
async function sendCosts(ctx: BenchContext, groups: BenchGroup[], s: Rounds) {
  const [users] = await ctx.db.sql<{ n: number }[]>`select count(*)::int as n from public."user"`;
  const cases = groups.flatMap((group) =>
    KINDS.map((kind) => ({ group, kind, text: texts(group)[kind] })),
  );
  const samples = new Map(cases.map((c) => [c, [] as number[]]));
  const startedAt = performance.now();
  let rounds = 0;
  await withAppDatabase(ctx, async () => {
    for (let r = 0; r < s.warmupRounds + s.rounds; r++) {
      const measuring = r >= s.warmupRounds;
      const spent = performance.now() - startedAt;
      if (measuring && r - s.warmupRounds >= s.minRounds && spent > s.budgetMs) break;
      for (const c of rotated(cases, r)) {
        const [ms, sent] = await timed(() => sendAs(c.group, c.text));
        const expected = c.kind === "three" ? 3 : 0;
        if (sent.mentions.length !== expected) {
          throw new Error(`a ${c.kind} message came back naming ${sent.mentions.length}`);
        }
        if (measuring) samples.get(c)!.push(ms);
      }
      // Each send queued a notification job: no worker here, and none for a server's.
      await ctx.db.sql`delete from public.notification_jobs`;
      if (measuring) rounds++;
    }
  });
  const [written] = await ctx.db.sql<{ n: number }[]>`
    select count(*)::int as n from public.message_mentions
    where "chatId" = any(${groups.map((g) => g.chatId)}::uuid[])`;

  const bySize = groups.map((group) => {
    const ms = (kind: Kind) => {
      const found = cases.find((c) => c.group === group && c.kind === kind)!;
      return samples.get(found)!;
    };
    const plainMs = round(median(ms("plain")));
    const threeMs = round(median(ms("three")));
    const channelMs = round(median(ms("channel")));
    ctx.log(
      `group of ${group.size}, ${users?.n} users: send ${plainMs} ms plain, ${threeMs} ms with three mentions ` +
        `(${round(plainMs / threeMs)}), ${channelMs} ms with <@channel> (${round(plainMs / channelMs)})`,
    );
    return {
      size: group.size,
      plainMs,
      threeMentionsMs: threeMs,
      channelMs,
      threeMentionsRatio: round(plainMs / threeMs),
      channelRatio: round(plainMs / channelMs),
      latencyMs: {
        plain: summarize(ms("plain")),
        threeMentions: summarize(ms("three")),
        channel: summarize(ms("channel")),
      },
    };
  });
  return { users: users?.n, rounds, mentionRowsWritten: written?.n ?? 0, bySize };
}

/**
 * The chat-list fixture with mentions of the reader: one message in `every` from the others
 * names them (the text and the row the trigger would have written, written directly).
 */
async function mentionTheReader(sql: Sql, me: string, every: number): Promise<void> {
  await bulkLoad(sql, async (tx) => {
    await tx`
      update public.messages m set content = m.content || ' for ' || ${mentionToken(me)}
      from public.chat_members cm
      where cm."userId" = ${me}::uuid and m."chatId" = cm."chatId"
        and m.seq % ${every}::int = 0 and m."senderId" <> ${me}::uuid`;
    await tx`
      insert into public.message_mentions ("messageId", "userId", "chatId", seq, "threadRootId", kind, "createdAt")
      select m.id, ${me}::uuid, m."chatId", m.seq, null, 'user', m."createdAt"
      from public.chat_members cm join public.messages m on m."chatId" = cm."chatId"
      where cm."userId" = ${me}::uuid and m.seq % ${every}::int = 0 and m."senderId" <> ${me}::uuid`;
  });
}

/** `statement` with `pattern` replaced, which must occur exactly once. */
function replaceOnce(statement: Statement, pattern: RegExp, by: string): Statement {
  const found = statement.query.match(new RegExp(pattern.source, "g")) ?? [];
  if (found.length !== 1) {
    throw new Error(`chats.list no longer reads mentions the way this benchmark expects`);
  }
  return { query: statement.query.replace(pattern, by), params: statement.params };
}

const UNREAD_MENTIONS =
  /\(select count\(\*\)::int from public\.message_mentions mm\b[\s\S]*?\) as "unreadMentions"/;
const PREVIEW_NAMES = /public\.mentions_as_names\(m\.content\) as content/;

type ListVariant = "today" | "noCount" | "before";

/**
 * DB time of the three forms of the list statement under RLS, alternated (the order rotating),
 * each timed on its second run in its transaction: the first compiles `mentions_as_names` on a
 * connection new to it, which the server's long-lived pool has long done.
 */
async function listTimes(
  ctx: BenchContext,
  userId: string,
  variants: Record<ListVariant, Statement>,
) {
  const names: ListVariant[] = ["today", "noCount", "before"];
  const times: Record<ListVariant, number[]> = { today: [], noCount: [], before: [] };
  const started = performance.now();
  for (let i = 0; i < LIST_RUNS && (i < 3 || performance.now() - started < LIST_BUDGET_MS); i++) {
    for (const name of rotated(names, i)) {
      const f = await explain(ctx.db.sql, variants[name], {
        userId,
        asUser: true,
        timing: false,
        warm: true,
      });
      times[name].push(f.executionMs);
    }
  }
  const todayMs = round(median(times.today));
  const withoutCountMs = round(median(times.noCount));
  const withoutMentionsMs = round(median(times.before));
  return {
    runs: times.today.length,
    todayMs,
    withoutCountMs,
    withoutMentionsMs,
    /** The unread-mention count alone: without it / with it. */
    countRatio: round(withoutCountMs / todayMs),
    /** Everything mentions added: the statement before mentions / today's. */
    ratio: round(withoutMentionsMs / todayMs),
  };
}

/**
 * What mentions cost the chat list: the product's list statement (captured from `listChats`)
 * against the same statement with the unread-mention count replaced by 0 (`noCount`), and
 * with that and the last message's preview left unnamed (`m.content` instead of
 * `mentions_as_names`: the statement as it was before mentions). Measured twice: with every
 * chat's last message mentioning the reader (each of the 30 previews names someone, the most
 * naming a page can do), then with those mentions taken out of the last messages (the common
 * case: a preview without a mention, where the function returns at its `strpos`).
 */
async function listCosts(ctx: BenchContext) {
  const s = settings(ctx.quick).list;
  const [me] = await createUsers(ctx.db.sql, "Mentioned", 1);
  const partners = await createUsers(ctx.db.sql, "Mentioner", Math.max(s.direct, 8));
  if (!me) throw new Error("user not created");
  await createChatList(ctx.db.sql, { me: me.id, partners: partners.map((p) => p.id), ...s });
  await mentionTheReader(ctx.db.sql, me.id, s.mentionEvery);
  await vacuumAnalyze(ctx.db.sql, ["messages", "message_mentions", "chats", "chat_members"]);

  const { statements, result } = await captureStatements(ctx.db.sql, me.id, (tx) =>
    listChats(tx, { userId: me.id, limit: LIST_LIMIT }),
  );
  const perChat = s.read + s.unread;
  const expected = Math.floor(perChat / s.mentionEvery) - Math.floor(s.read / s.mentionEvery);
  const { items } = result as Awaited<ReturnType<typeof listChats>>;
  const named = `@${me.name}`;
  if (
    items.length !== Math.min(LIST_LIMIT, s.direct + s.groups) ||
    items.some((c) => c.unreadMentions !== expected || !c.lastMessage?.preview.includes(named))
  ) {
    throw new Error(`unexpected chat list: ${JSON.stringify(items[0])}`);
  }
  const list = statements.find((st) => st.query.includes(`"unreadMentions"`));
  if (!list) throw new Error("chats.list no longer counts unread mentions");
  const noCount = replaceOnce(list, UNREAD_MENTIONS, `0 as "unreadMentions"`);
  const variants = {
    today: list,
    noCount,
    before: replaceOnce(noCount, PREVIEW_NAMES, "m.content as content"),
  };

  const namedPreviews = await listTimes(ctx, me.id, variants);
  ctx.log(
    `chat list, every preview naming someone: ${namedPreviews.todayMs} ms, ` +
      `${namedPreviews.withoutCountMs} ms without the mention count, ` +
      `${namedPreviews.withoutMentionsMs} ms without mentions (${namedPreviews.ratio})`,
  );
  // The same chats with no mention in their last message (the count is unchanged: the
  // mention rows stay).
  await bulkLoad(ctx.db.sql, async (tx) => {
    await tx`
      update public.messages m set content = replace(m.content, ${` for ${mentionToken(me.id)}`}, '')
      from public.chats c
      where m."chatId" = c.id and m.seq = c."lastSeq" and strpos(m.content, '<@') > 0`;
  });
  await vacuumAnalyze(ctx.db.sql, ["messages"]);
  const plainPreviews = await listTimes(ctx, me.id, variants);
  ctx.log(
    `chat list, no preview with a mention: ${plainPreviews.todayMs} ms, ` +
      `${plainPreviews.withoutCountMs} ms without the mention count, ` +
      `${plainPreviews.withoutMentionsMs} ms without mentions (${plainPreviews.ratio})`,
  );
  return {
    chats: s.direct + s.groups,
    listed: LIST_LIMIT,
    unreadMentionsPerChat: expected,
    ratioIs: "DB time of the list statement without (that part of) mentions / with, as today",
    dbTimeIs: "EXPLAIN ANALYZE (TIMING OFF) under RLS, second run in its transaction, median",
    namedPreviews,
    plainPreviews,
  };
}

/**
 * What mentions cost: the send path with three mentions against the same sentence without,
 * in a group of 10 and of 200, and with `<@channel>` (a row for each member); and the chat
 * list's statement with its unread-mention count and named preview against the statement
 * without them. The sends run in this process through Parley's pool as `withRls` runs them:
 * HTTP, the session and tRPC cost the same with or without a mention, and would only dilute
 * the ratio, so it is the send's database work, the part mentions add to, that is compared.
 * Every kind in both groups is sent each round, the order rotating, so drift hits all alike.
 */
async function run(ctx: BenchContext): Promise<BenchResult> {
  const groups: BenchGroup[] = [];
  for (const size of SIZES) groups.push(await createGroup(ctx.db.sql, `Mention${size}`, size));
  await ctx.db.sql`vacuum (analyze) public.chat_members, public.chats`;
  const s = settings(ctx.quick);
  const send = await sendCosts(ctx, groups, s.send);
  const list = await listCosts(ctx);
  // The message a send returns names its mentions by reading `user` for ids compared as
  // text, which no index serves: the same sends again with more people in the database, all
  // in another workspace, to see whether a mention's cost grows with the installation.
  const [elsewhere] = await ctx.db.sql<{ id: string }[]>`
    insert into public.organization (name, slug) values ('Elsewhere', 'elsewhere') returning id`;
  await ctx.db.sql`
    with people as (
      insert into public."user" (name, email, "emailVerified")
      select 'Elsewhere ' || i, 'elsewhere-' || i || '@bench.test', true
      from generate_series(1, ${s.elsewhere}::int) i
      returning id
    )
    insert into public.member ("organizationId", "userId", role)
    select ${elsewhere!.id}::uuid, id, 'member' from people`;
  await vacuumAnalyze(ctx.db.sql, ["user", "member"]);
  const sendAgain = await sendCosts(ctx, groups, s.sendAgain);
  await ctx.db.sql`delete from public."user" where email like 'elsewhere-%@bench.test'`;
  await ctx.db.sql`delete from public.organization where id = ${elsewhere!.id}`;

  const small = send.bySize[0]!;
  const large = send.bySize.at(-1)!;
  const threeOk = [...send.bySize, ...sendAgain.bySize].every((g) => g.threeMentionsRatio >= 0.9);
  return {
    name: "mentions",
    metric: `messages.send with three mentions, group of ${large.size} (service under withRls)`,
    value: large.threeMentionsMs,
    unit: "ms",
    reference: {
      name: "the same sentence without mentions, same group, same rounds",
      value: large.plainMs,
    },
    ratio: large.threeMentionsRatio,
    target: `three mentions ≥ 0.9 at ${small.size} and ${large.size}, also with ${s.elsewhere.toLocaleString("en")} more people elsewhere; <@channel> at ${large.size} ≥ 0.5; chat list (previews without a mention) ≥ 0.9`,
    met: threeOk && large.channelRatio >= 0.5 && list.plainPreviews.ratio >= 0.9,
    details: {
      ratioIs: "send ms without mentions / with, medians of the same rounds (1: free)",
      timeIs:
        "wall time of sendMessage in withRls, in this process through Parley's pool (openPostgres)",
      send,
      sendWithMoreUsers: sendAgain,
      chatList: list,
    },
  };
}

export const mentions: Benchmark = { name: "mentions", needsBuild: false, run };
