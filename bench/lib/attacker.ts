import type { SupabaseClient } from "@supabase/supabase-js";
import WebSocket from "ws";
import { pngClaiming } from "@/test/images";
import { sleep } from "./load";
import { realtimeClient } from "./realtime";

/** The workspace a realtime token was minted in (its `org` claim): presence is per workspace. */
function tokenWorkspace(token: string): string {
  const payload = JSON.parse(Buffer.from(token.split(".")[1] ?? "", "base64url").toString()) as {
    org?: string;
  };
  return payload.org ?? "";
}

/**
 * The attacks of the abuse benchmark (bench/abuse.ts), each run in a process of its own:
 * `node --import tsx bench/lib/attacker.ts <attack> <durationMs> <target JSON>` prints how the
 * server answered, by status or outcome, as JSON.
 */
export const ATTACK_NAMES = [
  "batch of 1,000 calls",
  "socket flood",
  "presence flood",
  "image bombs",
] as const;
export type AttackName = (typeof ATTACK_NAMES)[number];

export interface AttackTarget {
  url: string;
  /** The attacker's session cookie. */
  cookie: string;
  /** The realtime anon key, and the attacker's own realtime token. */
  apikey: string;
  token: string;
  /** A chat of the attacker's own, to upload to. */
  chatId: string;
  /** How many sockets the flood tries to open. */
  sockets: number;
  /**
   * The attacker's own client address, sent as `X-Forwarded-For` to a server that trusts
   * loopback as its proxy: as from another machine, per-address limits count it apart from
   * the people it disturbs.
   */
  address: string;
}

type Answers = Record<string, number>;
const count = (answers: Answers, key: string | number) => {
  answers[key] = (answers[key] ?? 0) + 1;
};

const ATTACKS: Record<
  AttackName,
  (t: AttackTarget, until: number, answers: Answers) => Promise<void>
> = {
  "batch of 1,000 calls": async (t, until, answers) => {
    const paths = Array.from({ length: 1000 }, () => "me.get").join(",");
    const worker = async () => {
      while (performance.now() < until) {
        const response = await fetch(`${t.url}/api/trpc/${paths}?batch=1`, {
          headers: { cookie: t.cookie, "x-forwarded-for": t.address },
        });
        await response.arrayBuffer();
        count(answers, response.status);
      }
    };
    await Promise.all(Array.from({ length: 4 }, worker));
  },

  "socket flood": async (t, until, answers) => {
    const url = `${t.url.replace("http", "ws")}/realtime/v1/websocket?apikey=${t.apikey}&vsn=1.0.0`;
    const open: WebSocket[] = [];
    let attempts = 0;
    const opener = async () => {
      while (performance.now() < until && attempts < t.sockets) {
        attempts++;
        const outcome = await new Promise<string>((resolve) => {
          const ws = new WebSocket(url, { headers: { "x-forwarded-for": t.address } });
          ws.once("open", () => {
            open.push(ws);
            // Heartbeats as fast as the socket takes them.
            for (let i = 0; i < 50 && ws.readyState === WebSocket.OPEN; i++) {
              ws.send(
                JSON.stringify({
                  topic: "phoenix",
                  event: "heartbeat",
                  payload: {},
                  ref: String(i),
                }),
              );
            }
            resolve("open");
          });
          ws.once("unexpected-response", (_req, res) => {
            res.resume();
            resolve(String(res.statusCode));
          });
          ws.once("error", () => resolve("error"));
        });
        count(answers, outcome);
      }
    };
    await Promise.all(Array.from({ length: 8 }, opener));
    while (performance.now() < until) await sleep(50);
    for (const ws of open) ws.terminate();
  },

  "presence flood": async (t, until, answers) => {
    const clients: SupabaseClient[] = [];
    const tab = async () => {
      while (performance.now() < until) {
        const client = await realtimeClient(t.url, t.apikey, t.token, {
          "x-forwarded-for": t.address,
        });
        clients.push(client);
        const channel = client.channel(`presence:${tokenWorkspace(t.token)}`, {
          config: { private: true, presence: { enabled: true } },
        });
        const joined = await new Promise<string>((resolve) => {
          channel.subscribe((status) => resolve(status));
        });
        count(answers, joined);
        if (joined !== "SUBSCRIBED") {
          await client.removeAllChannels();
          await sleep(100);
          continue;
        }
        for (let i = 0; i < 20 && performance.now() < until; i++) {
          count(answers, await channel.track({ i }));
          await channel.untrack();
        }
        await client.removeAllChannels();
      }
    };
    await Promise.all(Array.from({ length: 30 }, tab));
    await Promise.all(clients.map((c) => c.removeAllChannels()));
  },

  "image bombs": async (t, until, answers) => {
    const bomb = await pngClaiming(10_000, 10_000);
    const worker = async () => {
      while (performance.now() < until) {
        const form = new FormData();
        form.append("file", new Blob([new Uint8Array(bomb)], { type: "image/png" }), "bomb.png");
        const response = await fetch(`${t.url}/api/chats/${t.chatId}/attachments`, {
          method: "POST",
          headers: { cookie: t.cookie, origin: t.url, "x-forwarded-for": t.address },
          body: form,
        });
        await response.arrayBuffer();
        count(answers, response.status);
      }
    };
    await Promise.all(Array.from({ length: 4 }, worker));
  },
};

async function main(): Promise<void> {
  const [name, durationMs, target] = process.argv.slice(2);
  const attack = ATTACKS[name as AttackName];
  if (!attack || !durationMs || !target) {
    throw new Error(`usage: attacker.ts <${ATTACK_NAMES.join(" | ")}> <durationMs> <target JSON>`);
  }
  const answers: Answers = {};
  // Loaded and about to start: the parent starts its timings now.
  process.stdout.write("ready\n");
  await attack(JSON.parse(target) as AttackTarget, performance.now() + Number(durationMs), answers);
  process.stdout.write(JSON.stringify(answers));
}

if (process.argv[1]?.endsWith("attacker.ts")) {
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      process.stderr.write(
        `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
      );
      process.exit(1);
    },
  );
}
