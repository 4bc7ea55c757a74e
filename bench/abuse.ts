import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { messageIdFor } from "@/contracts/message-ids";
import { ATTACK_NAMES, type AttackName, type AttackTarget } from "./lib/attacker";
import { track } from "./lib/children";
import path from "node:path";
import { BENCH_HEAP_SNAPSHOTS, BENCH_SERVER_ENV, childEnvironment, ROOT } from "./lib/config";
import type { Benchmark, BenchContext } from "./lib/context";
import { createGroupWithHistory } from "./lib/fixtures";
import { connectInspector, type Inspector } from "./lib/inspector";
import { sleep } from "./lib/load";
import { anonKey, joinPrivate, realtimeClient } from "./lib/realtime";
import type { BenchResult } from "./lib/result";
import { startServer, type RunningServer } from "./lib/server";
import { round, summarize, type LatencySummary } from "./lib/stats";
import { trpcClient } from "./lib/trpc";
import { createUsers, signInAll } from "./lib/users";

/**
 * Within the limits as shipped, each probing user acts as a person might: senders take turns
 * so none meets the message budget (60 a minute), victims call `me.get` ten times a second
 * (half their call budget). Several of each give enough samples for a p99.
 */
const SENDERS = 32;
const SEND_EVERY_MS = 100;
const VICTIMS = 3;
const ME_GET_EVERY_MS = 100;

/** Where the attacker comes from: an address of its own, as from another machine. */
const ATTACKER_ADDRESS = "203.0.113.66";

function settings(quick: boolean) {
  return quick ? { phaseMs: 2_000, sockets: 200 } : { phaseMs: 15_000, sockets: 2_000 };
}

interface Probe {
  meGetMs: LatencySummary;
  sendToReceiveMs: LatencySummary;
}

interface AttackReport {
  name: string;
  probe: Probe;
  /** How the server answered the attacker, by status or outcome. */
  answers: Record<string, number>;
}

/**
 * Runs one attack in a process of its own (bench/lib/attacker.ts) for `durationMs`: the
 * attacker's own work must not delay the timings taken here.
 */
function attackFromAnotherProcess(
  name: AttackName,
  target: AttackTarget,
  durationMs: number,
): { ready: Promise<void>; done: Promise<Record<string, number>> } {
  const child = track(
    spawn(
      process.execPath,
      [
        "--import",
        "tsx",
        "bench/lib/attacker.ts",
        name,
        String(durationMs),
        JSON.stringify(target),
      ],
      { cwd: ROOT, stdio: ["ignore", "pipe", "inherit"], env: childEnvironment({}) },
    ),
  );
  let out = "";
  let markReady: () => void = () => {};
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  child.stdout?.on("data", (chunk: Buffer) => {
    out += chunk.toString();
    if (out.startsWith("ready\n")) markReady();
  });
  const done = new Promise<Record<string, number>>((resolve, reject) => {
    child.once("error", reject);
    child.once("exit", (code) => {
      markReady();
      if (code !== 0) reject(new Error(`attacker ${name} exited with ${code}`));
      else resolve(JSON.parse(out.slice("ready\n".length)) as Record<string, number>);
    });
  });
  return { ready, done };
}

/**
 * While an attacker runs each attack issue 22 saw stall the server — a 1,000-call batch, a
 * socket flood, a presence flood, image bombs — a second user's `me.get` and a member's
 * send → receive are timed, and compared with the same figures without an attack in the same
 * run. The server runs with the limits as shipped.
 */
async function run(ctx: BenchContext): Promise<BenchResult> {
  const s = settings(ctx.quick);
  const server = await startServer(ctx.db.url, {
    productionLimits: true,
    inspect: true,
    // Loopback as the proxy, so the attacker can come from an address of its own.
    env: { TRUSTED_PROXIES: "127.0.0.1", ...BENCH_SERVER_ENV },
  });
  const inspector = await connectInspector(server.inspectPort!);
  try {
    return await measure(ctx, server, inspector, s);
  } finally {
    inspector.close();
    await server.stop();
  }
}

async function measure(
  ctx: BenchContext,
  server: RunningServer,
  inspector: Inspector,
  s: ReturnType<typeof settings>,
): Promise<BenchResult> {
  const users = await createUsers(ctx.db.sql, "Abuse", SENDERS + VICTIMS + 2);
  const [receiverUser, attackerUser, ...rest] = users;
  const victimUsers = rest.slice(0, VICTIMS);
  const senderUsers = rest.slice(VICTIMS);
  const chatId = await createGroupWithHistory(ctx.db.sql, {
    name: "Under attack",
    ownerId: receiverUser!.id,
    memberIds: senderUsers.map((u) => u.id),
    count: 10,
  });
  const attackerChat = await createGroupWithHistory(ctx.db.sql, {
    name: "Attacker's own",
    ownerId: attackerUser!.id,
    memberIds: [],
    count: 1,
  });
  const [receiver, attacker, ...signedIn] = await signInAll(server.url, [
    receiverUser!,
    attackerUser!,
    ...victimUsers,
    ...senderUsers,
  ]);
  const victims = signedIn.slice(0, VICTIMS);
  const senders = signedIn.slice(VICTIMS);
  const apikey = await anonKey(server.authSecret);
  const { token } = await trpcClient(server.url, receiver!).realtime.token.mutate();
  const receiverClient = await realtimeClient(server.url, apikey, token);
  const sentAt = new Map<string, number>();
  const deliveries: number[] = [];
  let recording = false;
  await joinPrivate(receiverClient, `chat:${chatId}`, (event, payload) => {
    const at = sentAt.get(String(payload.messageId));
    if (event === "message.created" && at !== undefined && recording) {
      deliveries.push(performance.now() - at);
    }
  });
  const victimClients = victims.map((victim) => trpcClient(server.url, victim));
  const senderClients = senders.map((sender) => trpcClient(server.url, sender));
  let turn = 0;

  /** The victim's and the member's figures over one phase, while an attack runs beside them. */
  async function probe(attack?: { ready: Promise<void>; done: Promise<unknown> }): Promise<Probe> {
    await attack?.ready;
    const until = performance.now() + s.phaseMs;
    const meGet: number[] = [];
    deliveries.length = 0;
    recording = true;
    const victimLoop = async (victim: (typeof victimClients)[number]) => {
      while (performance.now() < until) {
        const started = performance.now();
        await victim.me.get.query();
        meGet.push(performance.now() - started);
        await sleep(ME_GET_EVERY_MS);
      }
    };
    const sendLoop = async () => {
      while (performance.now() < until) {
        const key = randomUUID();
        const sender = turn++ % SENDERS;
        sentAt.set(messageIdFor(senderUsers[sender]!.id, key), performance.now());
        await senderClients[sender]!.messages.send.mutate({
          chatId,
          clientKey: key,
          content: "under attack?",
        });
        await sleep(SEND_EVERY_MS);
      }
    };
    await Promise.all([...victimClients.map(victimLoop), sendLoop(), attack?.done]);
    await sleep(500);
    recording = false;
    return { meGetMs: summarize(meGet), sendToReceiveMs: summarize(deliveries) };
  }

  /**
   * Resident memory, and the JavaScript heap once garbage is collected: what the heap keeps
   * says whether objects are held; the rest of resident memory is native (sharp, buffers) or
   * pages the allocator has not given back.
   */
  async function memory(phase: string) {
    const rss = server.rss();
    const usage = await inspector.memoryAfterGc();
    if (BENCH_HEAP_SNAPSHOTS) {
      await inspector.heapSnapshot(path.join(BENCH_HEAP_SNAPSHOTS, `abuse-${phase}.heapsnapshot`));
    }
    const mb = (bytes: number) => Math.round(bytes / 1e6);
    return {
      rss: mb(rss),
      heapUsedAfterGc: mb(usage.heapUsed),
      external: mb(usage.external),
      arrayBuffers: mb(usage.arrayBuffers),
    };
  }

  const { token: attackerToken } = await trpcClient(server.url, attacker!).realtime.token.mutate();
  const target: AttackTarget = {
    url: server.url,
    cookie: attacker!.cookie,
    apikey,
    token: attackerToken,
    chatId: attackerChat,
    sockets: s.sockets,
    address: ATTACKER_ADDRESS,
  };

  ctx.log("abuse: warming up");
  await probe();
  const memoryBefore = await memory("before");
  const before = await probe();
  ctx.log(
    `abuse: baseline me.get p99 ${before.meGetMs.p99} ms, send→receive p99 ${before.sendToReceiveMs.p99} ms`,
  );
  const reports: AttackReport[] = [];
  for (const name of ATTACK_NAMES) {
    const attack = attackFromAnotherProcess(name, target, s.phaseMs);
    const result = await probe(attack);
    const answers = await attack.done;
    reports.push({ name, probe: result, answers });
    ctx.log(
      `abuse: ${name}: me.get p99 ${result.meGetMs.p99} ms, send→receive p99 ${result.sendToReceiveMs.p99} ms, answers ${JSON.stringify(answers)}`,
    );
    // Let the attacker's windows and the server settle before the next attack.
    await sleep(1_000);
  }
  const memoryAfterAttacks = await memory("after-attacks");
  const after = await probe();
  await receiverClient.removeAllChannels();
  // Whether the memory the attacks took comes back once they stop.
  await sleep(ctx.quick ? 1_000 : 10_000);
  const memorySettled = await memory("settled");

  // The reference is the mean of the quiet phases before and after, both in this run.
  const quiet = {
    meGet: (before.meGetMs.p99 + after.meGetMs.p99) / 2,
    sendToReceive: (before.sendToReceiveMs.p99 + after.sendToReceiveMs.p99) / 2,
  };
  const worst = Math.max(
    ...reports.flatMap((r) => [
      r.probe.meGetMs.p99 / quiet.meGet,
      r.probe.sendToReceiveMs.p99 / quiet.sendToReceive,
    ]),
  );
  return {
    name: "abuse",
    metric: "worst p99 under an attack ÷ the same p99 without one (me.get, send → receive)",
    value: round(worst, 2),
    unit: "×",
    reference: { name: "no attack (same run)", value: 1 },
    ratio: round(1 / worst, 3),
    target: "≥ 0.5 (within 2×)",
    met: worst <= 2,
    details: {
      phaseMs: s.phaseMs,
      memoryMb: {
        beforeAttacks: memoryBefore,
        afterAttacks: memoryAfterAttacks,
        settled: memorySettled,
      },
      quiet: { before, after },
      attacks: reports,
    },
  };
}

export const abuse: Benchmark = { name: "abuse", needsBuild: true, run };
