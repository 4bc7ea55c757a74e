import WebSocket from "ws";
import type { Benchmark, BenchContext } from "./lib/context";
import { createGroupWithHistory } from "./lib/fixtures";
import { sleep } from "./lib/load";
import { anonKey } from "./lib/realtime";
import type { BenchResult } from "./lib/result";
import { round } from "./lib/stats";
import { trpcClient } from "./lib/trpc";
import { startServer, type RunningServer } from "./lib/server";
import { createUsers, signInAll, type BenchUser } from "./lib/users";

const USERS = 100;
const OPENING_CONCURRENCY = 50;
const HEARTBEAT_MS = 25_000;

function settings(quick: boolean) {
  return quick
    ? { steps: [50, 200], settleMs: 1_000 }
    : { steps: [1_000, 10_000], settleMs: 3_000 };
}

/**
 * One idle browser tab, speaking the Phoenix protocol directly (what supabase-js sends, without
 * its per-client timers, so 10,000 fit in the benchmark process): it joins the user's own
 * topic and a chat topic, then only heartbeats.
 */
class Tab {
  private ref = 0;
  private readonly pending = new Map<string, (ok: boolean) => void>();
  private heartbeat: NodeJS.Timeout | undefined;
  closed = false;
  socket!: WebSocket;

  async open(url: string, topics: string[], token: string): Promise<void> {
    this.socket = new WebSocket(url, { perMessageDeflate: false });
    await new Promise<void>((resolve, reject) => {
      this.socket.once("open", () => resolve());
      this.socket.once("error", reject);
    });
    this.socket.on("close", () => {
      this.closed = true;
      clearInterval(this.heartbeat);
    });
    this.socket.on("message", (data: Buffer) => {
      const frame = JSON.parse(data.toString()) as {
        event: string;
        ref: string | null;
        payload: { status?: string };
      };
      if (frame.event === "phx_reply" && frame.ref) {
        this.pending.get(frame.ref)?.(frame.payload.status === "ok");
        this.pending.delete(frame.ref);
      }
    });
    for (const topic of topics) {
      const ok = await this.push(`realtime:${topic}`, "phx_join", {
        config: {
          broadcast: { ack: false, self: false },
          presence: { key: "", enabled: false },
          postgres_changes: [],
          private: true,
        },
        access_token: token,
      });
      if (!ok) throw new Error(`join ${topic} refused`);
    }
    this.heartbeat = setInterval(() => {
      void this.push("phoenix", "heartbeat", {});
    }, HEARTBEAT_MS);
  }

  private push(topic: string, event: string, payload: unknown): Promise<boolean> {
    const ref = String(++this.ref);
    const reply = new Promise<boolean>((resolve) => this.pending.set(ref, resolve));
    this.socket.send(JSON.stringify({ topic, event, payload, ref, join_ref: ref }));
    return reply;
  }

  close(): void {
    clearInterval(this.heartbeat);
    this.socket.terminate();
  }
}

async function run(ctx: BenchContext): Promise<BenchResult> {
  const s = settings(ctx.quick);
  const users = await createUsers(ctx.db.sql, "Idler", USERS);
  const [owner, ...rest] = users;
  if (!owner) throw new Error("users not created");
  const chatId = await createGroupWithHistory(ctx.db.sql, {
    name: "Idle",
    ownerId: owner.id,
    memberIds: rest.map((u) => u.id),
    count: 10,
  });
  // A server of its own: a heap that earlier benchmarks grew and left with free space would
  // absorb the new connections without RSS growing, and the figure would read too low.
  const server = await startServer(ctx.db.url);
  try {
    return await measure(ctx, server, users, chatId, s);
  } finally {
    await server.stop();
  }
}

async function measure(
  ctx: BenchContext,
  server: RunningServer,
  users: BenchUser[],
  chatId: string,
  s: ReturnType<typeof settings>,
): Promise<BenchResult> {
  const sessions = await signInAll(server.url, users);
  const tokens: string[] = [];
  for (const session of sessions) {
    tokens.push((await trpcClient(server.url, session).realtime.token.mutate()).token);
  }
  const url = `${server.url.replace("http", "ws")}/realtime/v1/websocket?apikey=${await anonKey(server.authSecret)}&vsn=1.0.0`;

  const tabs: Tab[] = [];
  const steps: Array<{
    connections: number;
    rssBytes: number;
    bytesPerConnection: number;
    /** RSS growth since the previous step, per connection added. */
    marginalBytesPerConnection: number;
    openSeconds: number;
  }> = [];
  await sleep(s.settleMs);
  const rssBefore = server.rss();
  try {
    for (const target of s.steps) {
      const started = performance.now();
      let next = tabs.length;
      const opener = async () => {
        while (next < target) {
          const i = next++;
          const tab = new Tab();
          tabs.push(tab);
          const who = i % USERS;
          await tab.open(url, [`user:${users[who]!.id}`, `chat:${chatId}`], tokens[who]!);
        }
      };
      await Promise.all(Array.from({ length: OPENING_CONCURRENCY }, opener));
      const openSeconds = round((performance.now() - started) / 1000, 1);
      await sleep(s.settleMs);
      const rss = server.rss();
      const previous = steps.at(-1) ?? { connections: 0, rssBytes: rssBefore };
      const marginal = Math.round((rss - previous.rssBytes) / (target - previous.connections));
      steps.push({
        connections: target,
        rssBytes: rss,
        bytesPerConnection: Math.round((rss - rssBefore) / target),
        marginalBytesPerConnection: marginal,
        openSeconds,
      });
      ctx.log(
        `${target} connections: RSS +${Math.round((rss - rssBefore) / 1024 / 1024)} MB, ` +
          `${round((rss - rssBefore) / target / 1024, 1)} KB each; ` +
          `${round(marginal / 1024, 1)} KB each since the previous step (opened in ${openSeconds} s)`,
      );
    }
    const held = tabs.filter((t) => !t.closed).length;
    const last = steps.at(-1)!;
    // The growth from the first step to the last: by then the heap left over from start-up
    // has been collected, which against the RSS before connecting can even read negative.
    const kbPerConnection = round(
      Math.max(last.marginalBytesPerConnection, last.bytesPerConnection) / 1024,
      1,
    );
    return {
      name: "connections",
      metric: `server RSS per idle realtime connection at ${last.connections.toLocaleString("en")}`,
      value: kbPerConnection,
      unit: "KB",
      reference: {
        name: "process RSS before connecting, MB",
        value: round(rssBefore / 1024 / 1024, 1),
      },
      ratio: round(40 / kbPerConnection),
      target: "≤ 40 KB per connection; all 10,000 held",
      met: kbPerConnection <= 40 && held === last.connections,
      details: {
        ratioIs: "the 40 KB budget / measured KB per connection",
        valueIs:
          "RSS growth per connection: the larger of growth since connecting and growth from the previous step",
        channelsPerConnection: 2,
        users: USERS,
        held,
        rssBeforeBytes: rssBefore,
        steps,
      },
    };
  } finally {
    for (const tab of tabs) tab.close();
  }
}

export const connections: Benchmark = { name: "connections", needsBuild: true, run };
