import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Benchmark, BenchContext } from "./lib/context";
import { createGroupWithHistory } from "./lib/fixtures";
import { measureCpu } from "./lib/cpu";
import { assertNoErrors, closedLoop, sleep } from "./lib/load";
import { startReferenceApp } from "./lib/reference-app";
import type { BenchResult } from "./lib/result";
import { round } from "./lib/stats";
import { trpcClient } from "./lib/trpc";
import { createUsers, signIn } from "./lib/users";

const CONCURRENCY = 8;
const HISTORY = 500;
const PATH = (chatId: string) => `/api/v1/chats/${chatId}/messages?limit=50`;

function settings(quick: boolean) {
  return quick ? { warmupMs: 500, durationMs: 2_000 } : { warmupMs: 2_000, durationMs: 10_000 };
}

/** Waits until the audit flusher has written `expected` rows for the key (or stops growing). */
async function auditRows(ctx: BenchContext, keyId: string, expected: number): Promise<number> {
  let last = -1;
  let stableSince = Date.now();
  for (;;) {
    const [row] = await ctx.db.sql<{ n: number }[]>`
      select count(*)::int as n from public.api_audit_logs
      where "apiKeyId" = ${keyId} and method = 'GET' and endpoint = '/api/v1/chats/{chatId}/messages'`;
    const n = row?.n ?? 0;
    if (n >= expected) return n;
    if (n !== last) {
      last = n;
      stableSince = Date.now();
    } else if (Date.now() - stableSince > 5_000) return n;
    await sleep(200);
  }
}

async function run(ctx: BenchContext): Promise<BenchResult> {
  const s = settings(ctx.quick);
  const [owner, other] = await createUsers(ctx.db.sql, "Integrator", 2);
  if (!owner || !other) throw new Error("users not created");
  const chatId = await createGroupWithHistory(ctx.db.sql, {
    name: "Integration",
    ownerId: owner.id,
    memberIds: [other.id],
    count: HISTORY,
  });

  const server = await ctx.server();
  const session = await signIn(server.url, owner);
  const created = await trpcClient(server.url, session).apiKeys.create.mutate({
    name: "Benchmark",
    scopes: ["messages:read"],
  });
  const authorization = `Bearer ${created.secret}`;

  let sent = 0;
  const get = async (base: string, headers: Record<string, string>) => {
    const response = await fetch(`${base}${PATH(chatId)}`, { headers });
    const body = await response.text();
    if (response.status !== 200) throw new Error(`${response.status}: ${body.slice(0, 200)}`);
    return body;
  };

  const sample = await get(server.url, { authorization });
  sent++;
  const page = JSON.parse(sample) as { messages: unknown[] };
  if (page.messages.length !== 50) throw new Error("the API answered a short page");

  const { result: api, cpu } = await measureCpu(ctx.db.sql, ctx.db.name, server.pid, () =>
    closedLoop(
      { concurrency: CONCURRENCY, durationMs: s.durationMs, warmupMs: s.warmupMs },
      async () => {
        sent++;
        await get(server.url, { authorization });
      },
    ),
  );
  assertNoErrors("GET /api/v1/chats/{id}/messages", api);
  const audited = await auditRows(ctx, created.apiKey.id, sent);
  ctx.log(
    `API ${round(api.throughput, 0)} req/s, p50 ${api.latencyMs.p50} ms p99 ${api.latencyMs.p99} ms; ` +
      `audit rows ${audited} of ${sent}`,
  );

  const bodyFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "parley-bench-")), "page.json");
  fs.writeFileSync(bodyFile, sample);
  const reference = await startReferenceApp(bodyFile);
  let bare;
  try {
    const echoed = await get(reference.url, {});
    if (echoed !== sample) throw new Error("the reference route answers something else");
    bare = await closedLoop(
      { concurrency: CONCURRENCY, durationMs: s.durationMs, warmupMs: s.warmupMs },
      async () => {
        await get(reference.url, {});
      },
    );
  } finally {
    await reference.stop();
    fs.rmSync(path.dirname(bodyFile), { recursive: true, force: true });
  }
  assertNoErrors("bare Next route", bare);
  ctx.log(`bare route ${round(bare.throughput, 0)} req/s, p50 ${bare.latencyMs.p50} ms`);

  const ratio = round(api.throughput / bare.throughput);
  return {
    name: "api-v1",
    metric: "GET /api/v1/chats/{id}/messages (key, scope, rate limit, audit)",
    value: round(api.throughput, 1),
    unit: "req/s",
    reference: {
      name: "a bare Next route returning the same JSON from memory",
      value: round(bare.throughput, 1),
    },
    ratio,
    target: "ratio ≥ 0.6; audit rows written == requests sent",
    met: ratio >= 0.6 && audited === sent,
    details: {
      ratioIs: "API req/s / bare route req/s",
      concurrency: CONCURRENCY,
      durationMs: s.durationMs,
      responseBytes: Buffer.byteLength(sample),
      requestsSent: sent,
      auditRows: audited,
      api: { latencyMs: api.latencyMs, cpuCores: cpu },
      bare: { latencyMs: bare.latencyMs, clientCpuShare: round(bare.clientCpuShare, 2) },
    },
  };
}

export const apiV1: Benchmark = { name: "api-v1", needsBuild: true, run };
