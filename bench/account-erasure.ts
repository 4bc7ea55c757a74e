import { sql as drizzleSql } from "drizzle-orm";
import type { Sql } from "postgres";
import { queryRows } from "@/db/rows";
import type { Database } from "@/db/types";
import { withAppDatabase } from "./lib/app-database";
import { bulkLoad, vacuumAnalyze } from "./lib/bulk";
import { createChatHistory } from "./lib/chat-history";
import type { Benchmark, BenchContext } from "./lib/context";
import { rotated, timed } from "./lib/groups";
import type { BenchResult } from "./lib/result";
import { median, round, summarize } from "./lib/stats";
import { createUsers } from "./lib/users";

/** A direct chat and three groups: the person's messages are shared out evenly among them. */
const CHATS = 4;
/** Everyone the person talks to; the direct chat is with the first. */
const PARTNERS = 3;
/** One in this many of the person's messages carries a file. */
const FILE_EVERY = 100;
/** One in this many of the person's messages was edited once, its earlier text kept. */
const EDIT_EVERY = 10;

function settings(quick: boolean) {
  // Every erasure needs a person of its own, so the rounds are fixed up front, not a budget.
  return quick
    ? { sizes: [100, 500], warmupRounds: 1, rounds: 5 }
    : { sizes: [100, 2_000, 10_000], warmupRounds: 1, rounds: 7 };
}

type Kind = "blank" | "keep" | "plain";
const KINDS: readonly Kind[] = ["blank", "keep", "plain"];

interface Person {
  /** Messages they sent. */
  size: number;
  userId: string;
  reactions: number;
  edits: number;
  files: number;
}

/**
 * Someone who sent `size` messages, `size / CHATS` in each of their chats (a direct chat and
 * three groups they own), every other message of each chat theirs; who reacted to one in five
 * of their partners' messages, edited one in `EDIT_EVERY` of their own and put a file on one
 * in `FILE_EVERY` (the row only: an erasure queues the file for storage, it does not read it).
 * The chats and messages are `createChatHistory`'s, as in the data export's benchmark.
 */
async function createPerson(sql: Sql, size: number, serial: number): Promise<Person> {
  if (size % CHATS !== 0) throw new Error(`a history of ${size} does not split into ${CHATS}`);
  const [me, ...partners] = await createUsers(sql, `Erased${size}x${serial}`, 1 + PARTNERS);
  if (!me || partners.length !== PARTNERS) throw new Error("users not created");
  const perChat = 2 * (size / CHATS);
  const created = await bulkLoad(sql, async (tx) => {
    await createChatHistory(tx, {
      table: "bench_erasure_chats",
      groupName: "Erasure group",
      userId: me.id,
      partnerIds: partners.map((p) => p.id),
      chats: CHATS,
      perChat,
      editEvery: EDIT_EVERY,
    });
    const [counts] = await tx<{ reactions: number; edits: number; files: number }[]>`
      with reacted as (
        insert into public.message_reactions ("messageId", "userId", emoji, "chatId", "createdAt")
        select m.id, ${me.id}::uuid, (array['👍', '🎉', '❤️', '😂'])[1 + (m.seq / 10) % 4],
               m."chatId", m."createdAt" + interval '1 minute'
        from bench_erasure_chats c join public.messages m on m."chatId" = c.id
        where m.seq % 10 = 1
        returning 1
      ), edited as (
        insert into public.message_edits ("messageId", "chatId", "previousContent", "editedAt", "editedBy")
        select m.id, m."chatId", 'first draft: ' || m.content, m."editedAt", ${me.id}::uuid
        from bench_erasure_chats c join public.messages m on m."chatId" = c.id
        where m."editedAt" is not null
        returning 1
      ), mine as (
        select m.id, m."chatId", m.seq, m."createdAt",
               row_number() over (order by m."createdAt", m.id) as rank
        from bench_erasure_chats c join public.messages m on m."chatId" = c.id
        where m."senderId" = ${me.id}::uuid
      ), filed as (
        insert into public.message_attachments ("messageId", "chatId", "uploaderId", "fileName", "storagePath",
                                                "fileSize", "mimeType", "createdAt")
        select id, "chatId", ${me.id}::uuid, 'Notes ' || rank || '.pdf',
               'chats/' || "chatId" || '/' || ${me.id}::uuid || '/20261207_101500_' || lpad(to_hex(seq), 16, '0') || '.pdf',
               16384, 'application/pdf', "createdAt"
        from mine where rank % ${FILE_EVERY}::int = ${FILE_EVERY / 2}::int
        returning 1
      )
      select (select count(*)::int from reacted) as reactions,
             (select count(*)::int from edited) as edits,
             (select count(*)::int from filed) as files`;
    return counts;
  });
  if (!created) throw new Error("person not created");
  return { size, userId: me.id, ...created };
}

interface Erased {
  messages: "keep" | "blank";
  blanked: number;
  files: number;
}

/** Makes the person's deletion due now, as the grace period running out would. */
async function scheduleErasure(sql: Sql, person: Person, messages: "keep" | "blank") {
  await sql`
    insert into public.account_deletions ("userId", "requestedBy", messages, "eraseAfter")
    values (${person.userId}::uuid, ${person.userId}::uuid, ${messages}, now() - interval '1 second')`;
}

/** The worker's call, on the owner connection through Parley's pool, as `eraseOne` makes it. */
async function erase(owner: Database, person: Person): Promise<Erased> {
  const [row] = await queryRows<{ erased: Erased | null }>(
    owner,
    drizzleSql`select public.erase_account(${person.userId}::uuid) as erased`,
  );
  if (!row?.erased) throw new Error(`no erasure was due for ${person.userId}`);
  return row.erased;
}

/**
 * The reference: the erasure's own blanking statement and nothing else, its triggers firing as
 * they do inside the erasure, committed on its own through the same pool.
 */
async function blankOnly(owner: Database, person: Person): Promise<number> {
  const [row] = await queryRows<{ n: number }>(
    owner,
    drizzleSql`
      with gone as (
        update public.messages set content = '', "deletedAt" = now(),
               "deletedBy" = ${person.userId}::uuid, metadata = null
        where "senderId" = ${person.userId}::uuid and "deletedAt" is null and type <> 'system'
        returning 1)
      select count(*)::int as n from gone`,
  );
  return row?.n ?? 0;
}

interface FunctionTime {
  name: string;
  calls: number;
  selfMs: number;
}

/**
 * Where one blanking erasure spends its time, by PL/pgSQL function (its own statements, and
 * each trigger on the rows it touches), from the backend's function statistics before and
 * after it: the view also holds counts not yet flushed from the connection's earlier work.
 */
async function eraseProfiled(sql: Sql, person: Person): Promise<FunctionTime[]> {
  type Row = { name: string; calls: number; selfMs: number };
  const [before, after] = await sql.begin(async (tx) => {
    await tx`set local track_functions = 'pl'`;
    const read = () => tx<Row[]>`
      select funcname as name, calls::int as calls, self_time::float8 as "selfMs"
      from pg_stat_xact_user_functions where schemaname = 'public'`;
    const start = await read();
    const [erased] = await tx<{ erased: Erased | null }[]>`
      select public.erase_account(${person.userId}::uuid) as erased`;
    if (!erased?.erased) throw new Error(`no erasure was due for ${person.userId}`);
    return [start, await read()] as const;
  });
  const earlier = new Map(before.map((r) => [r.name, r]));
  return after
    .map((r) => ({
      name: r.name,
      calls: r.calls - (earlier.get(r.name)?.calls ?? 0),
      selfMs: round(r.selfMs - (earlier.get(r.name)?.selfMs ?? 0)),
    }))
    .filter((f) => f.calls > 0)
    .sort((a, b) => b.selfMs - a.selfMs);
}

/**
 * What erasing an account costs as the person's history grows: one `erase_account` call, as
 * the worker (`eraseDueAccounts`) makes it on the owner connection through Parley's pool, for
 * people who sent 100, 2,000 and 10,000 messages across a direct chat and three groups they
 * own, reacted to one in five of their partners' messages, edited one in ten of theirs and put
 * a file on one in a hundred. Both choices are timed: `blank` (every message soft-deleted, its
 * triggers recording history and dropping attachments, pins, saves, mentions and link previews;
 * then their edits and reactions deleted) and `keep` (the messages stay, under the tombstone).
 *
 * The reference is the erasure's blanking statement alone: the same `update` of the same
 * person's messages, triggers and all, committed on its own through the same pool. Each
 * erasure is one-shot, so every sample, the reference's too, takes a person of its own,
 * created up front (outside the timing) and identical to the others of its size: the reference
 * pays a commit as the erasure does and never updates rows a rolled-back round left dead.
 * Each round takes every kind at every size, the order rotating.
 */
async function run(ctx: BenchContext): Promise<BenchResult> {
  const s = settings(ctx.quick);
  const total = s.warmupRounds + s.rounds;
  const sql = ctx.db.sql;

  // Deletions scheduled by an earlier benchmark would be due, and not this benchmark's.
  await sql`delete from public.account_deletions`;
  const pool = new Map<string, Person[]>();
  const profiled = new Map<number, Person>();
  let serial = 0;
  for (const size of s.sizes) {
    for (const kind of KINDS) {
      const people: Person[] = [];
      for (let r = 0; r < total; r++) people.push(await createPerson(sql, size, ++serial));
      pool.set(`${size}:${kind}`, people);
    }
    profiled.set(size, await createPerson(sql, size, ++serial));
  }
  await vacuumAnalyze(sql, [
    "user",
    "chats",
    "chat_members",
    "messages",
    "message_reactions",
    "message_edits",
    "message_attachments",
  ]);

  const cases = s.sizes.flatMap((size) => KINDS.map((kind) => ({ size, kind })));
  const samples = new Map(cases.map((c) => [c, [] as number[]]));
  const take = (size: number, kind: Kind, round: number): Person => {
    const person = pool.get(`${size}:${kind}`)?.[round];
    if (!person) throw new Error(`no person left for ${kind} at ${size}`);
    return person;
  };

  await withAppDatabase(ctx, async (owner: Database) => {
    const once = async (person: Person, kind: Kind): Promise<number> => {
      if (kind === "plain") {
        const [ms, blanked] = await timed(() => blankOnly(owner, person));
        if (blanked !== person.size) throw new Error(`blanked ${blanked} of ${person.size}`);
        return ms;
      }
      await scheduleErasure(sql, person, kind);
      const [ms, erased] = await timed(() => erase(owner, person));
      const expected = kind === "blank" ? person.size : 0;
      if (
        erased.messages !== kind ||
        erased.blanked !== expected ||
        erased.files !== person.files
      ) {
        throw new Error(
          `erasure (${kind}) of ${person.size} came back ${JSON.stringify(erased)}; ` +
            `expected ${expected} blanked, ${person.files} files`,
        );
      }
      return ms;
    };

    for (let r = 0; r < total; r++) {
      for (const c of rotated(cases, r)) {
        const ms = await once(take(c.size, c.kind, r), c.kind);
        if (r >= s.warmupRounds) samples.get(c)!.push(ms);
      }
    }
  });

  // What the erasures left behind, checked once: nothing of theirs that should be gone (their
  // reactions and earlier versions go only with their messages).
  const blankedIds = s.sizes.flatMap((size) => pool.get(`${size}:blank`)!.map((p) => p.userId));
  const [left] = await sql<
    { reactions: number; edits: number; attachments: number; queued: number }[]
  >`
    with erased as (select id from public."user" where "deletedAt" is not null),
         blanked as (select unnest(${blankedIds}::uuid[]) as id)
    select (select count(*)::int from public.message_reactions r join blanked b on b.id = r."userId") as reactions,
           (select count(*)::int from public.message_edits x join public.messages m on m.id = x."messageId"
                                  join blanked b on b.id = m."senderId") as edits,
           (select count(*)::int from public.message_attachments a join erased e on e.id = a."uploaderId") as attachments,
           (select count(*)::int from public.storage_deletions) as queued`;
  if (left && (left.reactions > 0 || left.edits > 0 || left.attachments > 0)) {
    throw new Error(`erased people left ${JSON.stringify(left)}`);
  }

  const breakdown = new Map<number, FunctionTime[]>();
  for (const [size, person] of profiled) {
    await scheduleErasure(sql, person, "blank");
    breakdown.set(size, await eraseProfiled(sql, person));
  }

  const bySize = s.sizes.map((size) => {
    const of = (kind: Kind) => samples.get(cases.find((c) => c.size === size && c.kind === kind)!)!;
    const blankMs = round(median(of("blank")));
    const keepMs = round(median(of("keep")));
    const plainMs = round(median(of("plain")));
    const sample = take(size, "blank", 0);
    const functions = breakdown.get(size) ?? [];
    const functionsMs = functions.reduce((sum, f) => sum + f.selfMs, 0);
    ctx.log(
      `${size} messages: erase (blank) ${blankMs} ms, erase (keep) ${keepMs} ms, ` +
        `blanking alone ${plainMs} ms; blank / reference ${round(blankMs / plainMs)}, ` +
        `keep / reference ${round(keepMs / plainMs)}; ` +
        `${Math.round(size / (blankMs / 1000))} messages/s blanked`,
    );
    return {
      messages: size,
      reactions: sample.reactions,
      edits: sample.edits,
      files: sample.files,
      blankMs,
      keepMs,
      referenceMs: plainMs,
      ratio: round(plainMs / blankMs),
      keepRatio: round(plainMs / keepMs),
      blankOverReference: round(blankMs / plainMs),
      keepOverReference: round(keepMs / plainMs),
      messagesPerSecond: {
        blank: Math.round(size / (blankMs / 1000)),
        reference: Math.round(size / (plainMs / 1000)),
      },
      // Self time of each PL/pgSQL function in one extra, untimed blanking erasure.
      functions: functions.slice(0, 10).map((f) => ({
        ...f,
        share: round(functionsMs > 0 ? f.selfMs / functionsMs : Number.NaN),
      })),
      latencyMs: {
        blank: summarize(of("blank")),
        keep: summarize(of("keep")),
        reference: summarize(of("plain")),
      },
    };
  });
  const large = bySize.at(-1)!;
  const small = bySize[0]!;
  const perMessage = (key: "blankMs" | "keepMs" | "referenceMs") =>
    (large[key] - small[key]) / (large.messages - small.messages);
  return {
    name: "account-erasure",
    metric: `erase_account blanking the messages of a person who sent ${large.messages.toLocaleString("en")}`,
    value: large.blankMs,
    unit: "ms",
    reference: {
      name: "the same update of that person's messages alone (triggers on), same rounds, median",
      value: large.referenceMs,
    },
    ratio: large.ratio,
    target: `ratio ≥ 0.5 at ${large.messages.toLocaleString("en")} messages (an erasure within two blankings of its messages)`,
    met: large.ratio >= 0.5,
    details: {
      ratioIs:
        "blanking alone ms / erase (blank) ms, medians of the same rounds (1: the erasure costs nothing beyond blanking)",
      keepRatioIs: "blanking alone ms / erase (keep) ms",
      blankOverReferenceIs:
        "erase (blank) ms / blanking alone ms: how many blankings an erasure costs",
      timeIs:
        "wall time of one call in this process through Parley's pool (openPostgres), commit included",
      rounds: s.rounds,
      warmupRounds: s.warmupRounds,
      chats: CHATS,
      fileEvery: FILE_EVERY,
      editEvery: EDIT_EVERY,
      filesQueued: left?.queued,
      perExtraMessage: {
        blankMs: round(perMessage("blankMs"), 5),
        keepMs: round(perMessage("keepMs"), 5),
        referenceMs: round(perMessage("referenceMs"), 5),
        ratio: round(perMessage("referenceMs") / perMessage("blankMs")),
      },
      sizes: bySize,
    },
  };
}

export const accountErasure: Benchmark = { name: "account-erasure", needsBuild: false, run };
