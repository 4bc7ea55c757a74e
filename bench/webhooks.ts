import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { randomBytes } from "node:crypto";
import { drainWebhookDeliveries } from "@/server/webhooks/worker";
import { withAppDatabase } from "./lib/app-database";
import type { Benchmark, BenchContext } from "./lib/context";
import { createGroup, rotated, sendAs, timed, type BenchGroup } from "./lib/groups";
import type { BenchResult } from "./lib/result";
import { median, round, summarize } from "./lib/stats";

/** Endpoints hearing one message: one member's, and ten members' each. */
const ENDPOINTS = [1, 10] as const;

function settings(quick: boolean) {
  return quick
    ? { warmupRounds: 3, rounds: 20, minRounds: 5, budgetMs: 5_000 }
    : { warmupRounds: 10, rounds: 300, minRounds: 30, budgetMs: 40_000 };
}

/** A receiver on loopback that answers at once, counting what it got. */
async function startReceiver(): Promise<{ url: string; received: () => number; server: Server }> {
  let count = 0;
  const server = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      count++;
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/hook`, received: () => count, server };
}

/**
 * What delivering a message's webhooks costs: the time `drainWebhookDeliveries` (the worker's
 * pass) takes to send one `message.created` to 1 and to 10 endpoints — claim the deliveries,
 * read the message as each endpoint's owner under RLS, sign, POST to a loopback receiver that
 * answers at once, record the answers, and find the queue empty.
 *
 * The reference is the send that queued them (`messages.send` under `withRls`, same group),
 * timed just before: the ratio says how many sends' worth of time the worker spends per
 * message, which decides whether one worker keeps up with the senders. The receiver answers
 * instantly, so what is measured is Parley's side of a delivery, not a receiver's.
 */
async function run(ctx: BenchContext): Promise<BenchResult> {
  const s = settings(ctx.quick);
  const receiver = await startReceiver();
  const groups = new Map<number, BenchGroup>();
  for (const count of ENDPOINTS) {
    const group = await createGroup(ctx.db.sql, `Hooks${count}`, 11);
    const owners = group.others.slice(0, count);
    for (const owner of owners) {
      await ctx.db.sql`
        insert into public.webhook_endpoints ("userId", url, secret, "eventTypes")
        values (${owner.id}, ${receiver.url}, ${`whsec_${randomBytes(32).toString("base64")}`},
                array['message.created'])`;
    }
    groups.set(count, group);
  }
  await ctx.db.sql`delete from public.webhook_deliveries`;

  const samples = new Map<number, { send: number[]; deliver: number[] }>(
    ENDPOINTS.map((n) => [n, { send: [], deliver: [] }]),
  );
  const startedAt = performance.now();
  let rounds = 0;
  try {
    await withAppDatabase(ctx, async (owner) => {
      const options = { db: owner, allowPrivate: true, disableAfterFailures: 5 };
      const total = s.warmupRounds + s.rounds;
      for (let r = 0; r < total; r++) {
        const measuring = r >= s.warmupRounds;
        if (
          measuring &&
          r - s.warmupRounds >= s.minRounds &&
          performance.now() - startedAt > s.budgetMs
        )
          break;
        for (const count of rotated(ENDPOINTS, r)) {
          const group = groups.get(count)!;
          const before = receiver.received();
          const [sendMs] = await timed(() => sendAs(group, `Round ${r}: deployed`));
          const [deliverMs, handled] = await timed(() => drainWebhookDeliveries(options));
          // Exactly this message, to each endpoint: anything else is not the work.
          if (handled !== count || receiver.received() - before !== count) {
            throw new Error(
              `delivered ${receiver.received() - before} of ${count} (handled ${handled})`,
            );
          }
          if (!measuring) continue;
          samples.get(count)!.send.push(sendMs);
          samples.get(count)!.deliver.push(deliverMs);
        }
        if (measuring) rounds++;
      }
    });
  } finally {
    await new Promise<void>((resolve) => receiver.server.close(() => resolve()));
  }

  const byCount = ENDPOINTS.map((count) => {
    const { send, deliver } = samples.get(count)!;
    const sendMs = round(median(send));
    const deliverMs = round(median(deliver));
    ctx.log(`${count} endpoint(s): deliver ${deliverMs} ms, send ${sendMs} ms`);
    return {
      endpoints: count,
      deliverMs,
      sendMs,
      ratio: round(sendMs / deliverMs),
      deliverLatencyMs: summarize(deliver),
      sendLatencyMs: summarize(send),
    };
  });
  const one = byCount[0]!;
  const ten = byCount.at(-1)!;
  return {
    name: "webhooks",
    metric: `drainWebhookDeliveries sending one message.created to ${ten.endpoints} endpoints`,
    value: ten.deliverMs,
    unit: "ms",
    reference: {
      name: "the send that queued them (messages.send under withRls, same group), median",
      value: ten.sendMs,
    },
    ratio: ten.ratio,
    target: `ratio ≥ 0.1 at ${ten.endpoints} endpoints (a delivery costs at most a send); ≥ 0.5 at ${one.endpoints}`,
    met: ten.ratio >= 0.1 && one.ratio >= 0.5,
    details: {
      ratioIs: "send ms / deliver ms, medians of the same rounds (1: delivering costs one send)",
      timeIs:
        "wall time in this process through Parley's pool (openPostgres) and a loopback receiver answering 204 at once",
      rounds,
      perExtraEndpointMs: round(
        (ten.deliverMs - one.deliverMs) / (ten.endpoints - one.endpoints),
        4,
      ),
      endpoints: byCount,
    },
  };
}

export const webhooks: Benchmark = { name: "webhooks", needsBuild: false, run };
