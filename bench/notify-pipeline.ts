import type { Sql } from "postgres";
import { drainNotificationJobs, type Outcome } from "@/server/notifications/pipeline";
import { withAppDatabase } from "./lib/app-database";
import { vacuumAnalyze } from "./lib/bulk";
import type { Benchmark, BenchContext } from "./lib/context";
import { createGroup, rotated, sendAs, timed, type BenchGroup } from "./lib/groups";
import type { BenchResult } from "./lib/result";
import { median, round, summarize } from "./lib/stats";

const SIZES = [10, 200] as const;
/** The server's default `PUSH_PER_USER_PER_MINUTE`. */
const PUSHES_PER_MINUTE = 10;

function settings(quick: boolean) {
  return quick
    ? { warmupRounds: 3, rounds: 20, minRounds: 5, budgetMs: 5_000 }
    : { warmupRounds: 10, rounds: 300, minRounds: 30, budgetMs: 40_000 };
}

/**
 * A group's members as the pipeline meets them, by their number k (1…size-1, the owner who
 * sends excepted): one in two has a push device, one in five has Parley open, one in ten muted
 * the group, one in ten wants its mentions only, one in four turned e-mail off. The rest take
 * everything at the defaults. Returns who is online.
 */
async function castMembers(sql: Sql, group: BenchGroup): Promise<Set<string>> {
  const pick = (test: (k: number) => boolean) =>
    group.others.filter((_, i) => test(i + 1)).map((u) => u.id);
  await sql`
    update public.chat_members set "mutedUntil" = now() + interval '30 days'
    where "chatId" = ${group.chatId} and "userId" = any(${pick((k) => k % 10 === 3)}::uuid[])`;
  await sql`
    update public.chat_members set "notificationLevel" = 'mentions'
    where "chatId" = ${group.chatId} and "userId" = any(${pick((k) => k % 10 === 7)}::uuid[])`;
  await sql`
    insert into public.user_metas ("userId", "metaKey", "metaValue", "dataType")
    select u, 'notifications.email', 'false'::jsonb, 'boolean'
    from unnest(${pick((k) => k % 4 === 1)}::uuid[]) u`;
  await sql`
    insert into public.push_subscriptions ("userId", endpoint, p256dh, auth)
    select u, 'https://push.bench.test/' || u, repeat('B', 87), repeat('A', 22)
    from unnest(${pick((k) => k % 2 === 0)}::uuid[]) u`;
  return new Set(pick((k) => k % 5 === 0));
}

/** What was decided for one message, counted: the details' check that the work was real. */
function tally(outcomes: Outcome[]) {
  const counts: Record<string, number> = {};
  let pushes = 0;
  let digests = 0;
  for (const o of outcomes) {
    const key = o.decision.notify ? "notified" : o.decision.reason;
    counts[key] = (counts[key] ?? 0) + 1;
    if (o.channels?.push === "send") pushes++;
    if (o.channels?.digest) digests++;
  }
  return { ...counts, pushesQueued: pushes, digestItems: digests };
}

interface Samples {
  send: number[];
  decide: number[];
  tally?: ReturnType<typeof tally>;
}

/**
 * What the notification pipeline costs per message: the time `drainNotificationJobs` (the
 * worker's pass, grace 0, presence from a set) takes to decide one new message for every
 * member of a group of 10 and of 200 — claim the job, load the candidates, decide each, queue
 * the digest items and pushes, delete the job, and find the queue empty.
 *
 * The reference is the send that made the job: `messages.send`'s service function under
 * `withRls` as the sender, in the same group, timed just before its message is decided. That
 * is the honest yardstick for work that every message adds off the send path: the ratio says
 * how many sends' worth of database work the worker spends per message, which is what decides
 * whether one worker keeps up with the senders. Both run in this process through Parley's
 * own pool (no HTTP on either side: a request's HTTP and tRPC cost would only dilute the send).
 * Rounds alternate the two sizes, the order rotating, so drift hits all four figures alike.
 *
 * Each message is decided as if it were the group's first in a while: its pushes and digest
 * items are cleared before the next send (untimed), so no one's throttle fills up and every
 * round does the same writes — the heaviest case, a push queued for each device of everyone
 * the rule lets through.
 */
async function run(ctx: BenchContext): Promise<BenchResult> {
  const s = settings(ctx.quick);
  const groups: BenchGroup[] = [];
  for (const size of SIZES) groups.push(await createGroup(ctx.db.sql, `Notify${size}`, size));
  const online = new Set<string>();
  for (const group of groups) for (const id of await castMembers(ctx.db.sql, group)) online.add(id);
  await vacuumAnalyze(ctx.db.sql, ["chat_members", "user_metas", "push_subscriptions"]);
  // Jobs left by earlier benchmarks' sends would be decided inside the first timed pass.
  await ctx.db.sql`delete from public.notification_jobs`;
  const memberIds = groups.flatMap((g) => g.others.map((u) => u.id));

  const samples = new Map<number, Samples>(SIZES.map((n) => [n, { send: [], decide: [] }]));
  const startedAt = performance.now();
  let rounds = 0;
  await withAppDatabase(ctx, async (owner) => {
    // As a server with web push configured (VAPID keys): pushes are queued.
    const deps = { isOnline: (id: string) => online.has(id), graceSeconds: 0, pushEnabled: true };
    const total = s.warmupRounds + s.rounds;
    for (let r = 0; r < total; r++) {
      const measuring = r >= s.warmupRounds;
      if (
        measuring &&
        r - s.warmupRounds >= s.minRounds &&
        performance.now() - startedAt > s.budgetMs
      )
        break;
      for (const group of rotated(groups, r)) {
        await ctx.db.sql`
          with pushes as (
            delete from public.push_deliveries where "userId" = any(${memberIds}::uuid[])
          )
          delete from public.digest_items where "userId" = any(${memberIds}::uuid[])`;
        const [sendMs, sent] = await timed(() => sendAs(group, `Round ${r}: the build is green`));
        const [decideMs, outcomes] = await timed(() =>
          drainNotificationJobs(owner, { ...deps, pushesPerMinute: PUSHES_PER_MINUTE }),
        );
        // Exactly this message, for everyone but its sender: anything else is not the work.
        if (outcomes.length !== group.size - 1 || outcomes.some((o) => o.messageId !== sent.id)) {
          throw new Error(
            `decided ${outcomes.length} outcomes for a group of ${group.size} (message ${sent.id})`,
          );
        }
        if (!measuring) continue;
        const figures = samples.get(group.size)!;
        figures.send.push(sendMs);
        figures.decide.push(decideMs);
        figures.tally ??= tally(outcomes);
        if (figures.tally.pushesQueued === 0) {
          throw new Error("no push was queued: this is not the case the benchmark measures");
        }
      }
      if (measuring) rounds++;
    }
  });

  const bySize = SIZES.map((size) => {
    const { send, decide, tally: decided } = samples.get(size)!;
    const sendMs = round(median(send));
    const decideMs = round(median(decide));
    ctx.log(
      `group of ${size}: decide ${decideMs} ms, send ${sendMs} ms (send / decide ${round(sendMs / decideMs)})`,
    );
    return {
      size,
      decideMs,
      sendMs,
      ratio: round(sendMs / decideMs),
      decided,
      decideLatencyMs: summarize(decide),
      sendLatencyMs: summarize(send),
    };
  });
  const small = bySize[0]!;
  const large = bySize.at(-1)!;
  return {
    name: "notify-pipeline",
    metric: `drainNotificationJobs deciding one message for a group of ${large.size}`,
    value: large.decideMs,
    unit: "ms",
    reference: {
      name: `the send that queued it (messages.send under withRls, same group), median`,
      value: large.sendMs,
    },
    ratio: large.ratio,
    target: `ratio ≥ 0.1 at ${large.size} members (a message decided for ≤ 10 sends' time); ≥ 0.5 at ${small.size}`,
    met: large.ratio >= 0.1 && small.ratio >= 0.5,
    details: {
      ratioIs: "send ms / decide ms, medians of the same rounds (1: deciding costs one send)",
      timeIs:
        "wall time in this process through Parley's pool (openPostgres), round trips included",
      rounds,
      pushesPerMinute: PUSHES_PER_MINUTE,
      perExtraMemberMs: round((large.decideMs - small.decideMs) / (large.size - small.size), 4),
      sizes: bySize,
    },
  };
}

export const notifyPipeline: Benchmark = { name: "notify-pipeline", needsBuild: false, run };
