import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { messageIdFor } from "@/contracts/message-ids";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { SupabaseClient } from "@supabase/supabase-js";
import WebSocket from "ws";
import { track } from "./lib/children";
import { ROOT, childEnvironment } from "./lib/config";
import type { Benchmark, BenchContext } from "./lib/context";
import { measureCpu, type CpuShares } from "./lib/cpu";
import { createGroupWithHistory } from "./lib/fixtures";
import { closedLoop, sleep } from "./lib/load";
import { anonKey, joinPrivate, realtimeClient } from "./lib/realtime";
import type { BenchResult } from "./lib/result";
import { round, summarize } from "./lib/stats";
import { trpcClient, type ParleyClient } from "./lib/trpc";
import { createUsers, signInAll } from "./lib/users";
import { freePort } from "./lib/server";

const SENDER_TABS = 4;

function settings(quick: boolean) {
  return quick
    ? { subscribers: 5, latencyMessages: 20, durationMs: 2_000 }
    : { subscribers: 100, latencyMessages: 200, durationMs: 10_000 };
}

/** Receive times per message id, and a way to wait until every subscriber has one. */
class Deliveries {
  readonly sentAt = new Map<string, number>();
  readonly latencies: number[] = [];
  private readonly received = new Map<string, number>();
  count = 0;
  recording = true;
  constructor(private readonly subscribers: number) {}

  onReceive(id: string): void {
    const sent = this.sentAt.get(id);
    if (sent === undefined) return;
    this.count++;
    if (this.recording) this.latencies.push(performance.now() - sent);
    this.received.set(id, (this.received.get(id) ?? 0) + 1);
  }

  async allReceived(id: string, timeoutMs = 5_000): Promise<void> {
    const deadline = performance.now() + timeoutMs;
    while ((this.received.get(id) ?? 0) < this.subscribers) {
      if (performance.now() > deadline) throw new Error(`message ${id} did not reach everyone`);
      await sleep(1);
    }
  }
}

interface Phase {
  latencyMs: ReturnType<typeof summarize>;
  /** How long the send call itself took (for Parley: the HTTP round trip of messages.send). */
  sendCallMs: ReturnType<typeof summarize>;
  deliveriesPerSecond: number;
  /** Where the CPU went during the throughput window (server: Parley's or the bare one). */
  cpuCores: CpuShares;
}

type CpuMeter = <T>(fn: () => Promise<T>) => Promise<{ result: T; cpu: CpuShares }>;

/**
 * Sequential sends for latency, then `SENDER_TABS` sends in flight for throughput. Each send
 * has a fresh key; `idFor` says which message id a key's send is delivered under.
 */
async function measure(
  s: ReturnType<typeof settings>,
  deliveries: Deliveries,
  sendOne: (tab: number, key: string) => Promise<void>,
  meter: CpuMeter,
  idFor: (key: string) => string = (key) => key,
): Promise<Phase> {
  const sendCalls: number[] = [];
  for (let i = 0; i < 5 + s.latencyMessages; i++) {
    const key = randomUUID();
    const id = idFor(key);
    deliveries.recording = i >= 5;
    const sentAt = performance.now();
    deliveries.sentAt.set(id, sentAt);
    await sendOne(0, key);
    if (deliveries.recording) sendCalls.push(performance.now() - sentAt);
    await deliveries.allReceived(id);
    await sleep(5);
  }
  const latencyMs = summarize(deliveries.latencies);
  const sendCallMs = summarize(sendCalls);
  deliveries.recording = false;
  const before = deliveries.count;
  const { result: load, cpu } = await meter(() =>
    closedLoop({ concurrency: SENDER_TABS, durationMs: s.durationMs }, async (tab) => {
      const key = randomUUID();
      deliveries.sentAt.set(idFor(key), performance.now());
      await sendOne(tab, key);
    }),
  );
  if (load.errors > 0) throw new Error(`sending failed: ${load.firstError}`);
  const deliveriesPerSecond = (deliveries.count - before) / (s.durationMs / 1000);
  return { latencyMs, sendCallMs, deliveriesPerSecond, cpuCores: cpu };
}

async function parleyPhase(ctx: BenchContext, s: ReturnType<typeof settings>) {
  const [sender, ...members] = await createUsers(ctx.db.sql, "Fan", 1 + s.subscribers);
  if (!sender) throw new Error("users not created");
  const chatId = await createGroupWithHistory(ctx.db.sql, {
    name: "Fanout",
    ownerId: sender.id,
    memberIds: members.map((m) => m.id),
    count: 10,
  });
  const server = await ctx.server();
  const [senderSession, ...sessions] = await signInAll(server.url, [sender, ...members]);
  const apikey = await anonKey(server.authSecret);
  const deliveries = new Deliveries(s.subscribers);
  let sample: Record<string, unknown> | undefined;
  const clients: SupabaseClient[] = [];
  try {
    for (const session of sessions) {
      const { token } = await trpcClient(server.url, session).realtime.token.mutate();
      const client = await realtimeClient(server.url, apikey, token);
      clients.push(client);
      await joinPrivate(client, `chat:${chatId}`, (event, payload) => {
        if (event !== "message.created") return;
        sample ??= payload;
        deliveries.onReceive(String(payload.messageId));
      });
    }
    const tabs: ParleyClient[] = Array.from({ length: SENDER_TABS }, () =>
      trpcClient(server.url, senderSession!),
    );
    const phase = await measure(
      s,
      deliveries,
      async (tab, key) => {
        await tabs[tab]!.messages.send.mutate({ chatId, clientKey: key, content: `Fanout ${key}` });
      },
      (fn) => measureCpu(ctx.db.sql, ctx.db.name, server.pid, fn),
      (key) => messageIdFor(sender.id, key),
    );
    return { phase, chatId, sample };
  } finally {
    await Promise.all(
      clients.map((c) => c.removeAllChannels().then(() => c.realtime.disconnect())),
    );
  }
}

async function referencePhase(ctx: BenchContext, s: ReturnType<typeof settings>, template: string) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "parley-bench-ws-"));
  const templateFile = path.join(dir, "frame.json");
  fs.writeFileSync(templateFile, template);
  const port = await freePort();
  const child = track(
    spawn(
      process.execPath,
      ["--import", "tsx", "bench/lib/ws-broadcaster.ts", String(port), templateFile],
      { cwd: ROOT, stdio: ["ignore", "pipe", "inherit"], env: childEnvironment({}) },
    ),
  );
  const sockets: WebSocket[] = [];
  try {
    await new Promise<void>((resolve, reject) => {
      child.stdout?.on("data", (c: Buffer) => c.toString().includes("ready") && resolve());
      child.once("exit", (code) => reject(new Error(`broadcaster exited (${code})`)));
    });
    const url = `ws://127.0.0.1:${port}`;
    const open = (p: string) =>
      new Promise<WebSocket>((resolve, reject) => {
        const ws = new WebSocket(`${url}${p}`, { perMessageDeflate: false });
        sockets.push(ws);
        ws.once("open", () => resolve(ws));
        ws.once("error", reject);
      });
    const deliveries = new Deliveries(s.subscribers);
    for (let i = 0; i < s.subscribers; i++) {
      const ws = await open("/subscribe");
      ws.on("message", (data: Buffer) => {
        const frame = JSON.parse(data.toString()) as {
          payload: { payload: { messageId: string } };
        };
        deliveries.onReceive(frame.payload.payload.messageId);
      });
    }
    const senders = await Promise.all(Array.from({ length: SENDER_TABS }, () => open("/send")));
    const acks = new Map<string, () => void>();
    for (const ws of senders) ws.on("message", (data: Buffer) => acks.get(data.toString())?.());
    return await measure(
      s,
      deliveries,
      (tab, id) => {
        const acked = new Promise<void>((resolve) => acks.set(id, resolve));
        senders[tab]!.send(id);
        return acked.finally(() => acks.delete(id));
      },
      // No database here: its backends are idle, so "postgres" reads about 0.
      (fn) => measureCpu(ctx.db.sql, ctx.db.name, child.pid, fn),
    );
  } finally {
    for (const ws of sockets) ws.terminate();
    child.kill("SIGTERM");
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const cpuText = (cpu: CpuShares) =>
  `server ${cpu.server}, postgres ${cpu.postgres}, clients ${cpu.client} cores`;

async function run(ctx: BenchContext): Promise<BenchResult> {
  const s = settings(ctx.quick);
  const parley = await parleyPhase(ctx, s);
  if (!parley.sample) throw new Error("no broadcast was received");
  ctx.log(
    `Parley: p50 ${parley.phase.latencyMs.p50} ms p99 ${parley.phase.latencyMs.p99} ms, ` +
      `${round(parley.phase.deliveriesPerSecond, 0)} deliveries/s; CPU ${cpuText(parley.phase.cpuCores)}`,
  );
  // The frame a subscriber gets (Phoenix serializer, vsn 1.0.0 shape), with a slot for the id.
  const template = JSON.stringify({
    topic: `realtime:chat:${parley.chatId}`,
    event: "broadcast",
    payload: {
      type: "broadcast",
      event: "message.created",
      payload: { ...parley.sample, messageId: "__MESSAGE_ID__" },
    },
    ref: null,
  });
  const bare = await referencePhase(ctx, s, template);
  ctx.log(
    `bare ws: p50 ${bare.latencyMs.p50} ms p99 ${bare.latencyMs.p99} ms, ` +
      `${round(bare.deliveriesPerSecond, 0)} deliveries/s; CPU ${cpuText(bare.cpuCores)}`,
  );
  const ratio = round(parley.phase.deliveriesPerSecond / bare.deliveriesPerSecond);
  const { p50, p99 } = parley.phase.latencyMs;
  return {
    name: "fanout",
    metric: `send → receive, 1 sender, ${s.subscribers} supabase-js subscribers in one chat`,
    value: round(parley.phase.deliveriesPerSecond, 1),
    unit: "deliveries/s",
    reference: {
      name: "a bare ws server broadcasting the same payload",
      value: round(bare.deliveriesPerSecond, 1),
    },
    ratio,
    target: "p50 < 10 ms, p99 < 50 ms; throughput ratio ≥ 0.5",
    met: p50 < 10 && p99 < 50 && ratio >= 0.5,
    details: {
      ratioIs: "Parley deliveries/s / bare ws deliveries/s",
      latencyIs: "from the send call to each subscriber's callback, one message at a time",
      subscribers: s.subscribers,
      latencyMessages: s.latencyMessages,
      senderTabs: SENDER_TABS,
      durationMs: s.durationMs,
      frameBytes: Buffer.byteLength(template),
      parley: {
        latencyMs: parley.phase.latencyMs,
        sendCallMs: parley.phase.sendCallMs,
        cpuCores: parley.phase.cpuCores,
      },
      bare: { latencyMs: bare.latencyMs, sendCallMs: bare.sendCallMs, cpuCores: bare.cpuCores },
    },
  };
}

export const fanout: Benchmark = { name: "fanout", needsBuild: true, run };
