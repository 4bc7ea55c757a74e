import { openPostgres, setDatabase, closeDatabase, type DatabaseHandle } from "@/db/client";
import { pgbouncerBinary, startPgbouncer } from "@/test/pgbouncer";
import type { Benchmark, BenchContext } from "./lib/context";
import { createGroup, rotated, sendAs, timed } from "./lib/groups";
import type { BenchResult } from "./lib/result";
import { median, round } from "./lib/stats";

/** Senders at once in the throughput windows: twice the pool, so requests queue for it. */
const CONCURRENCY = 40;
const POOL = 20;

function settings(quick: boolean) {
  return quick
    ? { rounds: 2, windowMs: 1_000, warmupMs: 300 }
    : { rounds: 6, windowMs: 4_000, warmupMs: 1_000 };
}

type Way = "direct" | "pooler";

/** Sends completed by `CONCURRENCY` senders in `windowMs`, per second. */
async function throughput(
  windowMs: number,
  send: (i: number) => Promise<unknown>,
): Promise<number> {
  let done = 0;
  const until = performance.now() + windowMs;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async (_, sender) => {
      for (let i = 0; performance.now() < until; i++) {
        await send(sender * 1_000_000 + i);
        done++;
      }
    }),
  );
  return (done / (performance.now() - started)) * 1_000;
}

/**
 * What a transaction-mode PgBouncer in front of Postgres costs the send path: `messages.send`
 * under `withRls` through Parley's pool reaching Postgres directly (prepared statements on),
 * against the same pool through PgBouncer (`DATABASE_POOLER`: prepared statements off, one
 * more hop), in the same run on the same database. Both ways alternate window by window.
 * Measured: one sender's latency and the throughput of senders queueing for a full pool.
 */
async function run(ctx: BenchContext): Promise<BenchResult> {
  const s = settings(ctx.quick);
  const binary = pgbouncerBinary();
  if (!binary) throw new Error("the pooler benchmark needs PgBouncer (apt install pgbouncer)");
  const pooler = await startPgbouncer(binary, ctx.db.url);
  const group = await createGroup(ctx.db.sql, "Pooler", 5);
  const pooledUrl = new URL(ctx.db.url);
  const poolerAddress = new URL(pooler.url);
  pooledUrl.host = poolerAddress.host;
  const handles: Record<Way, DatabaseHandle> = {
    direct: openPostgres(ctx.db.url, { max: POOL }),
    pooler: openPostgres(pooledUrl.toString(), { max: POOL, pooler: true, directUrl: ctx.db.url }),
  };
  const samples: Record<Way, { latency: number[]; perSecond: number[] }> = {
    direct: { latency: [], perSecond: [] },
    pooler: { latency: [], perSecond: [] },
  };
  try {
    for (let r = -1; r < s.rounds; r++) {
      for (const way of rotated(["direct", "pooler"] as const, Math.max(r, 0))) {
        setDatabase(handles[way]);
        const send = (i: number) => sendAs(group, `${way} ${r} ${i}`);
        if (r < 0) {
          await throughput(s.warmupMs, send);
          continue;
        }
        for (let i = 0; i < 20; i++) samples[way].latency.push((await timed(() => send(i)))[0]);
        samples[way].perSecond.push(await throughput(s.windowMs, send));
      }
    }
  } finally {
    await closeDatabase();
    await Promise.all(Object.values(handles).map((handle) => handle.close()));
    await pooler.stop();
  }
  const figure = (way: Way) => ({
    latencyMs: round(median(samples[way].latency)),
    perSecond: round(median(samples[way].perSecond)),
  });
  const direct = figure("direct");
  const pooled = figure("pooler");
  ctx.log(`direct: ${direct.perSecond} sends/s, ${direct.latencyMs} ms one at a time`);
  ctx.log(`pooler: ${pooled.perSecond} sends/s, ${pooled.latencyMs} ms one at a time`);
  const ratio = round(pooled.perSecond / direct.perSecond);
  return {
    name: "pooler",
    metric: `messages.send under withRls through PgBouncer (transaction mode), ${CONCURRENCY} senders, pool ${POOL}`,
    value: pooled.perSecond,
    unit: "sends/s",
    reference: {
      name: "the same pool reaching Postgres directly, same run",
      value: direct.perSecond,
    },
    ratio,
    target: "ratio ≥ 0.5 (the pooler at most halves what one instance sends)",
    met: ratio >= 0.5,
    details: {
      ratioIs: "pooler sends/s ÷ direct sends/s, medians of alternating windows",
      direct,
      pooler: pooled,
      latencyRatio: round(direct.latencyMs / pooled.latencyMs),
      rounds: s.rounds,
    },
  };
}

export const pooler: Benchmark = { name: "pooler", needsBuild: false, run };
