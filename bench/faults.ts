import { randomUUID } from "node:crypto";
import { TRPCClientError } from "@trpc/client";
import { messageIdFor } from "@/contracts/message-ids";
import type { Benchmark, BenchContext } from "./lib/context";
import { createDirectChats } from "./lib/fixtures";
import { sleep } from "./lib/load";
import type { BenchResult } from "./lib/result";
import { round, summarize, type LatencySummary } from "./lib/stats";
import { trpcClient } from "./lib/trpc";
import { createUsers, signInAll } from "./lib/users";

const SENDERS = 16;
/** How long a client waits before trying a send again after a 503 or a lost connection. */
const RETRY_AFTER_MS = 50;

function settings(quick: boolean) {
  return quick ? { warmupMs: 500, windowMs: 2_000 } : { warmupMs: 5_000, windowMs: 10_000 };
}

/** One message as its sender saw it: from the first try to the acknowledgment. */
interface Send {
  startedAt: number;
  endedAt: number;
  tries: number;
}

interface Window {
  sendsPerSecond: number;
  latencyMs: LatencySummary;
  /** Tries that failed (503, or the connection lost) and were made again. */
  failedTries: number;
}

function retryable(error: unknown): boolean {
  if (!(error instanceof TRPCClientError)) return false;
  const status = (error.data as { httpStatus?: number } | undefined)?.httpStatus;
  // No status: the request itself failed (connection refused or reset).
  return status === undefined || status === 503;
}

function windowOf(sends: Send[], from: number, to: number): Window {
  const started = sends.filter((s) => s.startedAt >= from && s.startedAt < to);
  return {
    sendsPerSecond: round(
      sends.filter((s) => s.endedAt >= from && s.endedAt < to).length / ((to - from) / 1000),
      1,
    ),
    latencyMs: summarize(started.map((s) => s.endedAt - s.startedAt)),
    failedTries: started.reduce((n, s) => n + s.tries - 1, 0),
  };
}

/**
 * Sends under a fault: 16 people send back to back (each retrying a failed try with the same
 * idempotency key, as the app does) for three windows — before, during and after every
 * connection of Parley's pool is terminated at the start of the second. Reports sends per
 * second and p99 in each window, how long until a send first went through at its first try,
 * and checks that every acknowledged message is stored exactly once.
 */
async function run(ctx: BenchContext): Promise<BenchResult> {
  const s = settings(ctx.quick);
  const senders = await createUsers(ctx.db.sql, "Faulty", SENDERS);
  const partners = await createUsers(ctx.db.sql, "Steady", SENDERS);
  const chatIds = await createDirectChats(
    ctx.db.sql,
    senders.map((u, i) => [u.id, partners[i]!.id]),
  );
  const server = await ctx.server();
  const sessions = await signInAll(server.url, senders);
  const clients = sessions.map((u) => trpcClient(server.url, u));

  const sends: Send[] = [];
  /** The first few failed tries, said as they were, for reading the run. */
  const firstFailures = new Set<string>();
  const acknowledged = new Set<string>();
  const started = performance.now();
  const before = started + s.warmupMs;
  const faultAt = before + s.windowMs;
  const after = faultAt + s.windowMs;
  const end = after + s.windowMs;

  const worker = async (index: number) => {
    while (performance.now() < end) {
      const clientKey = randomUUID();
      const send: Send = { startedAt: performance.now(), endedAt: 0, tries: 0 };
      for (;;) {
        send.tries++;
        try {
          await clients[index]!.messages.send.mutate({
            chatId: chatIds[index]!,
            clientKey,
            content: `Sent through a fault (${send.tries})`,
          });
          break;
        } catch (error) {
          if (!retryable(error)) throw error;
          if (firstFailures.size < 5)
            firstFailures.add(`${Math.round(performance.now() - faultAt)} ms: ${String(error)}`);
          await sleep(RETRY_AFTER_MS);
        }
      }
      send.endedAt = performance.now();
      sends.push(send);
      acknowledged.add(messageIdFor(senders[index]!.id, clientKey));
    }
  };
  const fault = async () => {
    await sleep(faultAt - performance.now());
    // The server's pool only (its connections say application_name 'parley'), not this one.
    const [row] = await ctx.db.sql<{ n: number }[]>`
      select count(pg_terminate_backend(pid))::int as n from pg_stat_activity
      where datname = current_database() and application_name = 'parley'
        and pid <> pg_backend_pid()`;
    return row?.n ?? 0;
  };
  const [, terminated] = await Promise.all([
    Promise.all(Array.from({ length: SENDERS }, (_, i) => worker(i))),
    fault(),
  ]);

  const windows = {
    before: windowOf(sends, before, faultAt),
    during: windowOf(sends, faultAt, after),
    after: windowOf(sends, after, end),
  };
  // Recovered: the first send started after the fault that went through at its first try.
  const firstClean = sends
    .filter((x) => x.startedAt >= faultAt && x.tries === 1)
    .reduce((earliest, x) => Math.min(earliest, x.endedAt), Number.POSITIVE_INFINITY);
  const recoveryMs = round(firstClean - faultAt, 0);

  const [stored] = await ctx.db.sql<{ n: number; distinct: number }[]>`
    select count(*)::int as n, count(distinct id)::int as distinct from public.messages
    where "chatId" = any(${chatIds}::uuid[]) and type <> 'system'`;
  const missing = await ctx.db.sql<{ id: string }[]>`
    select a.id from unnest(${[...acknowledged]}::uuid[]) as a(id)
    where not exists (select 1 from public.messages m where m.id = a.id)`;
  if (missing.length > 0)
    throw new Error(`${missing.length} acknowledged messages were not stored`);
  if (stored?.n !== acknowledged.size) {
    throw new Error(`${stored?.n} messages stored for ${acknowledged.size} acknowledged`);
  }

  ctx.log(
    `before ${windows.before.sendsPerSecond}/s p99 ${windows.before.latencyMs.p99} ms; ` +
      `during ${windows.during.sendsPerSecond}/s p99 ${windows.during.latencyMs.p99} ms ` +
      `(${windows.during.failedTries} failed tries); after ${windows.after.sendsPerSecond}/s ` +
      `p99 ${windows.after.latencyMs.p99} ms; ${terminated} connections terminated, ` +
      `recovered in ${recoveryMs} ms`,
  );
  const ratio = round(windows.after.sendsPerSecond / windows.before.sendsPerSecond);
  return {
    name: "faults",
    metric: "sends per second after every pool connection was terminated, and time to recover",
    value: windows.after.sendsPerSecond,
    unit: "msgs/s",
    reference: {
      name: "sends per second before the fault (same run)",
      value: windows.before.sendsPerSecond,
    },
    ratio,
    target: "after ≥ 0.9 × before; a clean send within 2 s of the fault; none lost or doubled",
    met: ratio >= 0.9 && recoveryMs < 2_000,
    details: {
      ratioIs: "sends/s after the fault window ÷ sends/s before it",
      senders: SENDERS,
      windowMs: s.windowMs,
      terminatedConnections: terminated,
      recoveryMs,
      windows,
      acknowledged: acknowledged.size,
      firstFailures: [...firstFailures],
      stored: stored?.n,
    },
  };
}

export const faults: Benchmark = { name: "faults", needsBuild: true, run };
