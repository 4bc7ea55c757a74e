import type { ListMessagesInput } from "@/contracts/messages";
import { listMessages } from "@/server/services/messages";
import { captureStatements, explain, type Statement } from "./lib/capture";
import { tenantCost } from "./lib/tenantless";
import type { Benchmark, BenchContext } from "./lib/context";
import { vacuumAnalyze } from "./lib/bulk";
import { createGroupWithHistory } from "./lib/fixtures";
import { measureCpu } from "./lib/cpu";
import { assertNoErrors, closedLoop } from "./lib/load";
import type { BenchResult } from "./lib/result";
import { median, round } from "./lib/stats";
import { trpcClient } from "./lib/trpc";
import { createUsers, signIn } from "./lib/users";

const PAGE = 50;
const CONCURRENCY = 2;
const EXPLAIN_RUNS = 15;
const OFFSET_RUNS = 3;
const SLOW_MS = 250;

function settings(quick: boolean) {
  const messages = quick ? 2_000 : 1_000_000;
  return {
    messages,
    warmupMs: quick ? 500 : 1_000,
    durationMs: quick ? 2_000 : 5_000,
    /** Pages across all depths before any window: see `run`. */
    serverWarmupMs: quick ? 1_000 : 15_000,
    /** The newest page, the page half-way back, and the oldest page (the last message back). */
    depths: [
      { label: "newest", skipped: 0 },
      { label: `${(messages / 2).toLocaleString("en")}th`, skipped: messages / 2 },
      { label: `${messages.toLocaleString("en")}th`, skipped: messages - PAGE },
    ],
  };
}

/**
 * The page statement: the one that reads messages in seq order with a LIMIT (it also reads the
 * page's senders, quotes, reactions, attachments and the members' pointers).
 */
function pageStatement(statements: Statement[]): Statement {
  const page = statements.find((s) =>
    /from public\.messages m\b.*order by m\.seq desc\s+limit (\$\d+|\d+)/is.test(s.query),
  );
  if (!page) throw new Error("messages.list no longer reads a page the way this benchmark expects");
  return page;
}

/** The same page by OFFSET: the keyset predicate replaced by skipping `skipped` rows. */
function offsetStatement(keyset: Statement, skipped: number): Statement {
  const bound = /and m\.seq < \$(\d+)/.exec(keyset.query);
  const limit = /order by m\.seq desc\s+limit (\$\d+|\d+)/.exec(keyset.query);
  if (!bound || !limit)
    throw new Error("the deepest page query has no keyset predicate to replace");
  const index = Number(bound[1]) - 1;
  const params = [...keyset.params];
  params[index] = skipped;
  return {
    query: keyset.query
      .replace(bound[0], `and $${index + 1}::bigint >= 0`)
      .replace(limit[0], `${limit[0]} offset $${index + 1}`),
    params,
  };
}

/**
 * The statement's time inside Postgres: the median of `runs` EXPLAIN ANALYZE runs, or a single
 * run when one already takes longer than SLOW_MS (an OFFSET a million rows deep).
 */
async function dbFigures(ctx: BenchContext, userId: string, statement: Statement, runs: number) {
  const first = await explain(ctx.db.sql, statement, { userId, asUser: true, timing: false });
  const times = [first.executionMs];
  while (times.length < runs && first.executionMs < SLOW_MS) {
    times.push(
      (await explain(ctx.db.sql, statement, { userId, asUser: true, timing: false })).executionMs,
    );
  }
  return {
    executionMs: round(median(times)),
    runs: times.length,
    planningMs: round(first.planningMs),
    sharedHit: first.sharedHit,
    sharedRead: first.sharedRead,
    jitMs: round(first.jitMs),
  };
}

interface PlanNode {
  "Subplan Name"?: string;
  "Actual Total Time"?: number;
  Plans?: PlanNode[];
}

/** The node that computes CTE `name` in a plan tree, if there is one. */
function cteNode(node: PlanNode, name: string): PlanNode | undefined {
  if (node["Subplan Name"] === `CTE ${name}`) return node;
  for (const child of node.Plans ?? []) {
    const found = cteNode(child, name);
    if (found) return found;
  }
  return undefined;
}

/**
 * The page read itself: the time of the statement's `page` CTE (the keyset scan of
 * `messages`), from timed EXPLAIN ANALYZE runs, median. The rest of the statement — senders,
 * quotes, reactions, attachments, pointers, the JSON — does not depend on the depth.
 */
async function pageReadMs(ctx: BenchContext, userId: string, statement: Statement, runs: number) {
  const times: number[] = [];
  while (times.length < runs) {
    const { plan } = await explain(ctx.db.sql, statement, { userId, asUser: true, timing: true });
    const node = cteNode((plan as { Plan: PlanNode }).Plan, "page");
    if (node?.["Actual Total Time"] === undefined)
      throw new Error("the page statement no longer reads its page in a CTE named page");
    times.push(node["Actual Total Time"]);
    if (node["Actual Total Time"] > SLOW_MS) break;
  }
  return round(median(times));
}

interface Depth {
  label: string;
  skipped: number;
}

/** The product's statements for the page at one depth, with their times inside Postgres. */
async function depthInDb(
  ctx: BenchContext,
  userId: string,
  depth: Depth,
  at: { before: number | undefined; input: ListMessagesInput },
) {
  const { statements } = await captureStatements(ctx.db.sql, userId, (tx) =>
    listMessages(tx, { userId, ...at.input }),
  );
  const page = pageStatement(statements);
  const allStatements = [];
  for (const s of statements) {
    allStatements.push(await dbFigures(ctx, userId, s, s === page ? EXPLAIN_RUNS : 5));
  }
  const keyset = allStatements[statements.indexOf(page)]!;
  const offsetPage = offsetStatement(page, depth.skipped);
  const offset =
    at.before === undefined ? keyset : await dbFigures(ctx, userId, offsetPage, OFFSET_RUNS);
  const pageRead = await pageReadMs(ctx, userId, page, EXPLAIN_RUNS);
  const offsetRead =
    at.before === undefined ? pageRead : await pageReadMs(ctx, userId, offsetPage, 1);
  return { depth, ...at, statements, page, allStatements, keyset, offset, pageRead, offsetRead };
}

type DepthInDb = Awaited<ReturnType<typeof depthInDb>>;

async function run(ctx: BenchContext): Promise<BenchResult> {
  const {
    messages: MESSAGES,
    warmupMs,
    durationMs,
    serverWarmupMs,
    depths: DEPTHS,
  } = settings(ctx.quick);
  const [reader, other] = await createUsers(ctx.db.sql, "History", 2);
  if (!reader || !other) throw new Error("users not created");
  ctx.log(`generating ${MESSAGES.toLocaleString("en")} messages in one chat`);
  const started = performance.now();
  const chatId = await createGroupWithHistory(ctx.db.sql, {
    name: "History",
    ownerId: reader.id,
    memberIds: [other.id],
    count: MESSAGES,
  });
  await vacuumAnalyze(ctx.db.sql, ["messages", "chats", "chat_members"]);
  const generationSeconds = round((performance.now() - started) / 1000, 1);

  const server = await ctx.server();
  const session = await signIn(server.url, reader);
  const tabs = Array.from({ length: CONCURRENCY }, () => trpcClient(server.url, session));

  // Which depth a worker's iteration asks for: each request takes the next depth in turn.
  const depthOf = (worker: number, iteration: number) => (worker + iteration) % DEPTHS.length;
  const pageAt = (skipped: number) => {
    const before = skipped === 0 ? undefined : MESSAGES - skipped + 1;
    return { before, input: { chatId, limit: PAGE, ...(before === undefined ? {} : { before }) } };
  };

  // This benchmark runs first, on a server just started, and a new server answers more slowly
  // for its first tens of seconds (measured one depth after the other, the newest page was
  // slowest first and as fast as the deepest when measured again at the end). So pages of all
  // three depths are served, untimed, before the window.
  const serverWarmup = await closedLoop(
    { concurrency: CONCURRENCY, durationMs: serverWarmupMs },
    async (worker, i) => {
      await tabs[worker]!.messages.list.query(pageAt(DEPTHS[depthOf(worker, i)]!.skipped).input);
    },
  );
  assertNoErrors("messages.list warm-up", serverWarmup);

  // Inside Postgres, depth by depth: the product's own statements for each page.
  const dbDepths: DepthInDb[] = [];
  for (const depth of DEPTHS) {
    dbDepths.push(await depthInDb(ctx, reader.id, depth, pageAt(depth.skipped)));
  }
  const pageSql = dbDepths[0]!.page.query;
  const tenant = await tenantCost(ctx, reader.id, dbDepths[0]!.statements, EXPLAIN_RUNS);
  ctx.log(
    `newest page's statements: ${tenant.withTenantMs} ms, ${tenant.withoutTenantMs} ms before workspaces`,
  );

  // Over HTTP, the three depths in one window, each request taking the next depth in turn:
  // the machine's speed drifts during a run (every process's CPU per page moved by a third
  // between windows a minute apart), so depths measured one after the other compared the
  // machine's moments, not the depths. Every page is checked: the right 50 messages, ending
  // where asked. A page that takes seconds inside Postgres needs no warm-up window.
  const { result: http, cpu } = await measureCpu(ctx.db.sql, ctx.db.name, server.pid, () =>
    closedLoop(
      {
        concurrency: CONCURRENCY,
        durationMs: durationMs * DEPTHS.length,
        warmupMs: dbDepths.some((d) => d.keyset.executionMs > 1_000) ? 0 : warmupMs,
        kinds: { count: DEPTHS.length, of: depthOf },
      },
      async (worker, iteration) => {
        const { depth, before, input } = dbDepths[depthOf(worker, iteration)]!;
        const expectedLast = before === undefined ? MESSAGES : before - 1;
        const result = await tabs[worker]!.messages.list.query(input);
        if (result.messages.length !== PAGE || result.messages.at(-1)?.seq !== expectedLast) {
          throw new Error(`page at ${depth.label}: unexpected ${result.messages.length} messages`);
        }
      },
    ),
  );
  assertNoErrors("messages.list", http);

  const depths = dbDepths.map((d, i) => {
    const byDepth = http.byKind![i]!;
    ctx.log(
      `${d.depth.label}: page read ${d.pageRead} ms (OFFSET ${d.offsetRead} ms), ` +
        `statement ${d.keyset.executionMs} ms (OFFSET ${d.offset.executionMs} ms), ` +
        `HTTP p50 ${byDepth.latencyMs.p50} ms p99 ${byDepth.latencyMs.p99} ms, ${round(byDepth.throughput, 0)}/s`,
    );
    return {
      depth: d.depth.label,
      before: d.before ?? null,
      pageReadDbMs: d.pageRead,
      offsetPageReadDbMs: d.offsetRead,
      pageQueryDbMs: d.keyset.executionMs,
      pageQuery: d.keyset,
      allStatementsDbMs: round(d.allStatements.reduce((sum, s) => sum + s.executionMs, 0)),
      statements: d.statements.length,
      offsetDbMs: d.offset.executionMs,
      offset: d.offset,
      http: { throughput: round(byDepth.throughput, 1), latencyMs: byDepth.latencyMs },
    };
  });

  const deepest = depths.at(-1)!;
  // Depth must not matter, in either direction: the fastest depth over the slowest.
  const p50s = depths.map((d) => d.http.latencyMs.p50);
  const ratio = round(Math.min(...p50s) / Math.max(...p50s));
  const dbOk = depths.every((d) => d.pageReadDbMs < 1);
  const httpOk = depths.every((d) => d.http.latencyMs.p99 < 15);
  return {
    name: "history",
    metric: "messages.list page read, DB time at the slowest of the three depths",
    value: Math.max(...depths.map((d) => d.pageReadDbMs)),
    unit: "ms",
    reference: { name: "the deepest page by OFFSET, DB time", value: deepest.offsetPageReadDbMs },
    ratio,
    target: "DB < 1 ms at every depth; HTTP p99 < 15 ms; newest/deepest ≥ 0.8",
    met: dbOk && httpOk && ratio >= 0.8,
    details: {
      ratioIs:
        "HTTP p50 of the fastest depth / HTTP p50 of the slowest depth (newest vs deepest, either way round)",
      dbTimeIs:
        "page read: the page CTE's time in EXPLAIN ANALYZE under RLS, median; statement: " +
        "EXPLAIN ANALYZE (TIMING OFF) execution time of the whole messages.list statement, median",
      messages: MESSAGES,
      pageSize: PAGE,
      concurrency: CONCURRENCY,
      durationMs: durationMs * DEPTHS.length,
      depthsInterleaved: true,
      http: {
        throughput: round(http.throughput, 1),
        latencyMs: http.latencyMs,
        cpuCores: cpu,
        serverCpuMsPerPage: round((cpu.server / http.throughput) * 1000),
        postgresCpuMsPerPage: round((cpu.postgres / http.throughput) * 1000),
      },
      serverWarmupMs,
      generationSeconds,
      maxHttpP99Ms: Math.max(...depths.map((d) => d.http.latencyMs.p99)),
      maxPageReadDbMs: Math.max(...depths.map((d) => d.pageReadDbMs)),
      maxStatementDbMs: Math.max(...depths.map((d) => d.pageQueryDbMs)),
      depths,
      tenant,
      pageQuerySql: pageSql,
    },
  };
}

export const history: Benchmark = { name: "history", needsBuild: true, run };
