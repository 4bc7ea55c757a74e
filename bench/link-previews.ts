import { once } from "node:events";
import http from "node:http";
import type { AddressInfo } from "node:net";
import type { Benchmark, BenchContext } from "./lib/context";
import { createDirectChats } from "./lib/fixtures";
import { assertNoErrors, closedLoop, sleep } from "./lib/load";
import type { BenchResult } from "./lib/result";
import { startServer } from "./lib/server";
import { round, summarize } from "./lib/stats";
import { trpcClient } from "./lib/trpc";
import { createUsers, signInAll } from "./lib/users";

const SENDERS = 16;

function settings(quick: boolean) {
  return quick
    ? { warmupMs: 500, durationMs: 2_000, drainMs: 30_000 }
    : { warmupMs: 2_000, durationMs: 15_000, drainMs: 120_000 };
}

/** A site on loopback with a small page at every path, counting the requests it gets. */
async function startSite(): Promise<{
  url: string;
  hits: () => number;
  stop: () => Promise<void>;
}> {
  let hits = 0;
  const site = http.createServer((req, res) => {
    hits++;
    res
      .writeHead(200, { "content-type": "text/html; charset=utf-8" })
      .end(
        `<!doctype html><html><head><title>Article ${req.url}</title>` +
          `<meta property="og:description" content="A page the benchmark links to">` +
          `<meta property="og:site_name" content="Bench News"></head><body>${"<p>text</p>".repeat(200)}</body></html>`,
      );
  });
  site.listen(0, "127.0.0.1");
  await once(site, "listening");
  return {
    url: `http://127.0.0.1:${(site.address() as AddressInfo).port}`,
    hits: () => hits,
    stop: async () => {
      site.closeAllConnections();
      await new Promise((resolve) => site.close(resolve));
    },
  };
}

/**
 * What a link costs: 16 senders send messages with a link to a page (whose preview the server
 * fetches off the send path) and, as the reference in the same run, messages without one.
 * The ratio is the send rate with links over the rate without; how long each preview took to
 * be stored after its message is in the details.
 */
async function run(ctx: BenchContext): Promise<BenchResult> {
  const s = settings(ctx.quick);
  const site = await startSite();
  const server = await startServer(ctx.db.url, {
    env: { LINK_PREVIEW_ALLOWED_ADDRESSES: "127.0.0.1", LINK_PREVIEW_PORTS: "any" },
  });
  try {
    const senders = await createUsers(ctx.db.sql, "Linker", SENDERS);
    const partners = await createUsers(ctx.db.sql, "Reader", SENDERS);
    const chatIds = await createDirectChats(
      ctx.db.sql,
      senders.map((u, i) => [u.id, partners[i]!.id]),
    );
    const clients = (await signInAll(server.url, senders)).map((u) => trpcClient(server.url, u));
    const phase = (content: (worker: number, i: number) => string) =>
      closedLoop(
        { concurrency: SENDERS, durationMs: s.durationMs, warmupMs: s.warmupMs },
        async (worker, i) => {
          await clients[worker]!.messages.send.mutate({
            chatId: chatIds[worker]!,
            content: content(worker, i),
          });
        },
      );

    const plain = await phase((worker, i) => `Plain message ${i} from ${worker}`);
    assertNoErrors("send without a link", plain);
    ctx.log(`without links ${round(plain.throughput, 0)} msgs/s, p99 ${plain.latencyMs.p99} ms`);
    const linked = await phase((worker, i) => `Read ${site.url}/a/${worker}/${i} today`);
    assertNoErrors("send with a link", linked);
    ctx.log(`with links ${round(linked.throughput, 0)} msgs/s, p99 ${linked.latencyMs.p99} ms`);

    // Every linked message (warm-up included) gets its preview; wait for the queue to empty.
    const started = Date.now();
    let waiting = Infinity;
    while (Date.now() - started < s.drainMs) {
      const [row] = await ctx.db.sql<{ n: number }[]>`
        select count(*)::int as n from public.link_preview_jobs`;
      waiting = row?.n ?? 0;
      if (waiting === 0) break;
      await sleep(250);
    }
    const lags = await ctx.db.sql<{ ms: number }[]>`
      select extract(epoch from (p."fetchedAt" - m."createdAt")) * 1000 as ms
      from public.message_link_previews p join public.messages m on m.id = p."messageId"
      where m."chatId" = any(${chatIds}::uuid[])`;
    const [linkedCount] = await ctx.db.sql<{ n: number }[]>`
      select count(*)::int as n from public.messages
      where "chatId" = any(${chatIds}::uuid[]) and content like 'Read http%'`;
    const previewLagMs = summarize(lags.map((r) => Number(r.ms)).sort((a, b) => a - b));
    ctx.log(
      `previews ${lags.length} of ${linkedCount?.n ?? 0}, lag p50 ${previewLagMs.p50} ms p99 ${previewLagMs.p99} ms`,
    );

    const ratio = round(linked.throughput / plain.throughput);
    const allPreviewed = waiting === 0 && lags.length === (linkedCount?.n ?? -1);
    return {
      name: "link-previews",
      metric: "messages.send with a link to preview, 16 senders in 16 chats",
      value: round(linked.throughput, 1),
      unit: "msgs/s",
      reference: {
        name: "the same senders' messages without a link, in the same run",
        value: round(plain.throughput, 1),
      },
      ratio,
      target: "ratio ≥ 0.7; every preview stored",
      met: ratio >= 0.7 && allPreviewed,
      details: {
        ratioIs: "msgs/s with a link / msgs/s without",
        senders: SENDERS,
        withLinks: { completed: linked.completed, latencyMs: linked.latencyMs },
        withoutLinks: { completed: plain.completed, latencyMs: plain.latencyMs },
        previews: {
          stored: lags.length,
          linkedMessages: linkedCount?.n ?? 0,
          pageRequests: site.hits(),
          stillQueued: waiting,
          lagMs: previewLagMs,
        },
      },
    };
  } finally {
    await server.stop();
    await site.stop();
  }
}

export const linkPreviews: Benchmark = { name: "link-previews", needsBuild: true, run };
