import type { Sql } from "postgres";
import { sendMessage } from "@/server/services/messages";
import { captureStatements, parameters, type Statement } from "./lib/capture";
import type { Benchmark, BenchContext } from "./lib/context";
import { createDirectChats } from "./lib/fixtures";
import { BENCH_WORKSPACE_ID } from "./lib/users";
import { measureCpu } from "./lib/cpu";
import { assertNoErrors, closedLoop, sleep } from "./lib/load";
import type { BenchResult } from "./lib/result";
import { round } from "./lib/stats";
import { trpcClient } from "./lib/trpc";
import { createUsers, signInAll } from "./lib/users";

const SENDERS = 16;

function settings(quick: boolean) {
  return quick
    ? { warmupMs: 500, durationMs: 2_000, referenceMs: 2_000 }
    : { warmupMs: 2_000, durationMs: 30_000, referenceMs: 10_000 };
}

interface Template {
  userId: string;
  statements: Statement[];
  /** The id the captured run's message got: replaced by each replay's own. */
  capturedId: string;
}

/**
 * The reference: the very statements `messages.send` runs (captured from the product), in one
 * transaction set up as `withRls` does, straight through postgres.js — no HTTP, no session
 * lookup, no tRPC, no serialization.
 */
async function replay(sql: Sql, template: Template): Promise<void> {
  await sql.begin(async (tx) => {
    await tx`select set_config('app.user_id', ${template.userId}, true), set_config('app.org_id', ${BENCH_WORKSPACE_ID}, true), set_config('role', 'authenticated', true)`;
    let newId: string | undefined;
    for (const statement of template.statements) {
      const params = parameters(statement).map((p) =>
        newId !== undefined && (p as unknown) === template.capturedId ? newId : p,
      ) as never[];
      const rows = await tx.unsafe<Array<Record<string, unknown>>>(statement.query, params, {
        prepare: true,
      });
      if (/\binsert into (public\.messages|"messages")/i.test(statement.query)) {
        // The product inserts and reads the row back in one statement, as JSON.
        const row = rows[0] as { id?: string; row?: { message?: { id?: string } } } | undefined;
        newId = row?.id ?? row?.row?.message?.id;
      }
    }
    if (!newId) throw new Error("the replay inserted no message");
  });
}

/** Committed transactions in the database so far (statistics lag by up to a second). */
async function commits(ctx: BenchContext): Promise<number> {
  const [row] = await ctx.db.sql<{ n: string }[]>`
    select xact_commit::text as n from pg_stat_database where datname = current_database()`;
  return Number(row?.n ?? 0);
}

async function run(ctx: BenchContext): Promise<BenchResult> {
  const s = settings(ctx.quick);
  const senders = await createUsers(ctx.db.sql, "Sender", SENDERS);
  const partners = await createUsers(ctx.db.sql, "Recipient", SENDERS);
  const chatIds = await createDirectChats(
    ctx.db.sql,
    senders.map((u, i) => [u.id, partners[i]!.id]),
  );

  const server = await ctx.server();
  const sessions = await signInAll(server.url, senders);
  const clients = sessions.map((u) => trpcClient(server.url, u));
  const commitsBefore = await commits(ctx);
  const { result: http, cpu: httpCpu } = await measureCpu(ctx.db.sql, ctx.db.name, server.pid, () =>
    closedLoop(
      { concurrency: SENDERS, durationMs: s.durationMs, warmupMs: s.warmupMs },
      async (worker, i) => {
        const sent = await clients[worker]!.messages.send.mutate({
          chatId: chatIds[worker]!,
          content: `Benchmark message ${i} from sender ${worker}`,
        });
        if (sent.chatId !== chatIds[worker]) throw new Error("sent to the wrong chat");
      },
    ),
  );
  assertNoErrors("messages.send", http);
  await sleep(1_500);
  const commitsAfter = await commits(ctx);
  const [stored] = await ctx.db.sql<{ n: number }[]>`
    select count(*)::int as n from public.messages where "chatId" = any(${chatIds}::uuid[])`;
  if ((stored?.n ?? 0) < http.completed) throw new Error("fewer messages stored than sent");
  ctx.log(
    `HTTP ${round(http.throughput, 0)} msgs/s, p50 ${http.latencyMs.p50} ms p99 ${http.latencyMs.p99} ms`,
  );

  const templates: Template[] = [];
  for (const [i, sender] of senders.entries()) {
    const { statements, result } = await captureStatements(ctx.db.sql, sender.id, (tx) =>
      sendMessage(tx, { userId: sender.id, chatId: chatIds[i]!, content: "Captured message" }),
    );
    templates.push({ userId: sender.id, statements, capturedId: (result as { id: string }).id });
  }
  const { result: reference, cpu: referenceCpu } = await measureCpu(
    ctx.db.sql,
    ctx.db.name,
    server.pid,
    () =>
      closedLoop(
        { concurrency: SENDERS, durationMs: s.referenceMs, warmupMs: s.warmupMs },
        (worker) => replay(ctx.db.sql, templates[worker]!),
      ),
  );
  assertNoErrors("raw SQL send", reference);
  ctx.log(
    `SQL ${round(reference.throughput, 0)} msgs/s, p50 ${reference.latencyMs.p50} ms p99 ${reference.latencyMs.p99} ms`,
  );

  const ratio = round(http.throughput / reference.throughput);
  return {
    name: "send",
    metric: "messages.send over HTTP, 16 senders in 16 chats",
    value: round(http.throughput, 1),
    unit: "msgs/s",
    reference: {
      name: "the same transaction as raw SQL (postgres.js), 16 at once",
      value: round(reference.throughput, 1),
    },
    ratio,
    target: "≥ 2,000 msgs/s; ratio ≥ 0.4; p99 < 25 ms",
    met: http.throughput >= 2000 && ratio >= 0.4 && http.latencyMs.p99 < 25,
    details: {
      ratioIs: "HTTP msgs/s / raw SQL msgs/s",
      senders: SENDERS,
      statementsPerSend: templates[0]?.statements.length,
      /** Every committed transaction during the HTTP run (sessions, sends, audit), per send. */
      transactionsPerSend: round(
        (commitsAfter - commitsBefore) / Math.max(1, stored?.n ?? http.completed),
        2,
      ),
      statements: templates[0]?.statements.map((st) => st.query.replace(/\s+/g, " ").slice(0, 160)),
      http: {
        durationMs: s.durationMs,
        completed: http.completed,
        latencyMs: http.latencyMs,
        cpuCores: httpCpu,
      },
      reference: {
        durationMs: s.referenceMs,
        completed: reference.completed,
        latencyMs: reference.latencyMs,
        cpuCores: referenceCpu,
      },
    },
  };
}

export const send: Benchmark = { name: "send", needsBuild: true, run };
