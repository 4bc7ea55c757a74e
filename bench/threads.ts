import type { Benchmark, BenchContext } from "./lib/context";
import { vacuumAnalyze } from "./lib/bulk";
import { createGroupWithHistory, createGroupWithThreads } from "./lib/fixtures";
import { assertNoErrors, closedLoop } from "./lib/load";
import type { BenchResult } from "./lib/result";
import { round } from "./lib/stats";
import { trpcClient } from "./lib/trpc";
import { createUsers, signIn } from "./lib/users";

const PAGE = 50;
const CONCURRENCY = 2;
/** One message in ten is in the timeline; the nine after it are replies in its thread. */
const EVERY = 10;

function settings(quick: boolean) {
  return {
    messages: quick ? 2_000 : 200_000,
    warmupMs: quick ? 500 : 2_000,
    durationMs: quick ? 2_000 : 8_000,
  };
}

/**
 * What threads cost the timeline: pages of a chat where nine messages in ten are replies in
 * threads (the timeline skips them), against the same pages of a chat of the same size with
 * no threads, in the same run. The newest page and one half-way back are asked for in turn.
 * A thread's own pages (its replies, through `threads.get`) are in the details.
 */
async function run(ctx: BenchContext): Promise<BenchResult> {
  const s = settings(ctx.quick);
  const [reader, other] = await createUsers(ctx.db.sql, "Threads", 2);
  if (!reader || !other) throw new Error("users not created");
  const plainId = await createGroupWithHistory(ctx.db.sql, {
    name: "Plain",
    ownerId: reader.id,
    memberIds: [other.id],
    count: s.messages,
  });
  const threadedId = await createGroupWithThreads(ctx.db.sql, {
    name: "Threaded",
    ownerId: reader.id,
    memberIds: [other.id],
    count: s.messages,
    every: EVERY,
  });
  await vacuumAnalyze(ctx.db.sql, ["messages", "chats", "chat_members", "message_threads"]);
  const [root] = await ctx.db.sql<{ id: string }[]>`
    select "rootId" as id from public.message_threads where "chatId" = ${threadedId}
    order by "lastReplySeq" desc limit 1`;
  if (!root) throw new Error("no thread generated");

  const server = await ctx.server();
  const session = await signIn(server.url, reader);
  const tabs = Array.from({ length: CONCURRENCY }, () => trpcClient(server.url, session));
  const half = Math.floor(s.messages / 2);
  const pages = (chatId: string) =>
    closedLoop(
      { concurrency: CONCURRENCY, durationMs: s.durationMs, warmupMs: s.warmupMs },
      async (worker, i) => {
        const back = (worker + i) % 2 === 1;
        const page = await tabs[worker]!.messages.list.query({
          chatId,
          limit: PAGE,
          ...(back ? { before: half } : {}),
        });
        if (page.messages.length !== PAGE) throw new Error("a short page");
      },
    );

  // A server just started answers more slowly for its first seconds: both chats' pages are
  // served, untimed, before either window, so neither side is measured on a cold server.
  const warm = await closedLoop(
    { concurrency: CONCURRENCY, durationMs: s.warmupMs * 3 },
    async (worker, i) => {
      await tabs[worker]!.messages.list.query({
        chatId: i % 2 === 0 ? plainId : threadedId,
        limit: PAGE,
        ...((worker + i) % 4 >= 2 ? { before: half } : {}),
      });
    },
  );
  assertNoErrors("warm-up", warm);
  const plain = await pages(plainId);
  assertNoErrors("timeline pages without threads", plain);
  ctx.log(`without threads ${round(plain.throughput, 0)} pages/s, p99 ${plain.latencyMs.p99} ms`);
  const threaded = await pages(threadedId);
  assertNoErrors("timeline pages with threads", threaded);
  ctx.log(
    `with threads ${round(threaded.throughput, 0)} pages/s, p99 ${threaded.latencyMs.p99} ms`,
  );
  const threadPages = await closedLoop(
    { concurrency: CONCURRENCY, durationMs: s.durationMs, warmupMs: s.warmupMs },
    async (worker) => {
      await tabs[worker]!.threads.get.query({ rootId: root.id, limit: PAGE });
    },
  );
  assertNoErrors("thread pages", threadPages);
  ctx.log(`a thread's replies ${round(threadPages.throughput, 0)} pages/s`);

  const ratio = round(threaded.throughput / plain.throughput);
  return {
    name: "threads",
    metric: `messages.list of a chat whose messages are nine in ten replies in threads (${s.messages.toLocaleString("en")} messages)`,
    value: round(threaded.throughput, 1),
    unit: "pages/s",
    reference: {
      name: "the same pages of a chat of the same size without threads, in the same run",
      value: round(plain.throughput, 1),
    },
    ratio,
    target: "ratio ≥ 0.8",
    met: ratio >= 0.8,
    details: {
      ratioIs: "timeline pages/s with threads / without",
      pageSize: PAGE,
      concurrency: CONCURRENCY,
      withThreads: { completed: threaded.completed, latencyMs: threaded.latencyMs },
      withoutThreads: { completed: plain.completed, latencyMs: plain.latencyMs },
      threadPages: {
        throughput: round(threadPages.throughput, 1),
        latencyMs: threadPages.latencyMs,
      },
    },
  };
}

export const threads: Benchmark = { name: "threads", needsBuild: true, run };
