import { randomUUID } from "node:crypto";
import WebSocket from "ws";
import { createRateLimit } from "@/server/limits/rate-limit";
import { RefusalHold } from "@/server/limits/refusal-hold";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { useTestDatabase } from "@/test/database";
import {
  sleep,
  startRealtimeTestServer,
  tryRawSocket,
  until,
  userToken,
  type RawSocket,
  type RealtimeTestServer,
} from "@/test/realtime";
import { callerFor, signUp, type TestUser } from "@/test/users";

const database = useTestDatabase();

/**
 * The gateway's limits on one address and one user, with real sockets: every one holds, and
 * what is refused is told (a 429 before the upgrade, a join error, a close code).
 */
let server: RealtimeTestServer;
let alice: TestUser;
let chatId: string;

const LIMITS = {
  maxMessagesPerSecond: 20,
  maxSocketsPerUser: 2,
  maxSocketsPerAddress: 6,
  maxAnonymousSocketsPerAddress: 3,
  anonymousGraceMs: 600,
  joinsPerMinute: 4,
};

/** Refusals are sent at once here, except where a test looks at one being held. */
const holding = { delayMs: 0, heldPerKey: 32, heldInAll: 1000 };
const hold = new RefusalHold(() => holding);

const open: RawSocket[] = [];

/** A socket with the anon key, kept to be closed; the HTTP status if the upgrade is refused. */
async function connect(): Promise<RawSocket | number> {
  const socket = await tryRawSocket(server.url);
  if (typeof socket !== "number") open.push(socket);
  return socket;
}

async function connected(): Promise<RawSocket> {
  const socket = await connect();
  if (typeof socket === "number") throw new Error(`upgrade refused with ${socket}`);
  return socket;
}

let refs = 0;
/** Joins `topic` as `token`'s user; resolves with the reply's status and reason. */
async function join(socket: RawSocket, topic: string, token: string) {
  const ref = String(++refs);
  socket.send([
    ref,
    ref,
    `realtime:${topic}`,
    "phx_join",
    { config: { private: true }, access_token: token },
  ]);
  let reply: unknown[] | undefined;
  await until(() => {
    reply = socket.arrays().find((f) => f[1] === ref && f[3] === "phx_reply");
    return reply !== undefined;
  }, `reply to join ${ref}`);
  const payload = reply![4] as { status: string; response: { reason?: string } };
  return { status: payload.status, reason: payload.response.reason ?? null };
}

beforeAll(async () => {
  server = await startRealtimeTestServer(database.handle, { limits: LIMITS, refusalHold: hold });
  alice = await signUp("Alice");
  chatId = (await (await callerFor(alice)).chats.createGroup({ name: "Limits", memberIds: [] })).id;
});

afterAll(async () => {
  await Promise.all(open.map((s) => s.close()));
  await server.close();
});

async function closeAll() {
  await Promise.all(open.splice(0).map((s) => s.close()));
}

describe("realtime limits", () => {
  it("counts heartbeats toward the frames a second, and closes a socket past them", async () => {
    const socket = await connected();
    for (let i = 0; i < LIMITS.maxMessagesPerSecond * 3; i++) {
      socket.send([null, String(i), "phoenix", "heartbeat", {}]);
    }
    await until(() => socket.closed !== null, "closed for flooding");
    expect(socket.closed).toEqual({ code: 1008, reason: "Too many messages per second" });
    const answered = socket.arrays().filter((f) => f[3] === "phx_reply").length;
    expect(answered).toBeLessThanOrEqual(LIMITS.maxMessagesPerSecond);
    await closeAll();
  });

  it("counts malformed frames too", async () => {
    const socket = await connected();
    for (let i = 0; i < LIMITS.maxMessagesPerSecond * 3; i++) socket.ws.send("{not a frame");
    await until(() => socket.closed !== null, "closed for garbage");
    expect(socket.closed?.code).toBe(1008);
    await closeAll();
  });

  it("refuses more anonymous sockets from one address than allowed, with 429", async () => {
    for (let i = 0; i < LIMITS.maxAnonymousSocketsPerAddress; i++) await connected();
    expect(await connect()).toBe(429);
    await closeAll();
    expect(typeof (await connect())).toBe("object");
    await closeAll();
  });

  it("closes a socket that joins nothing as a user", async () => {
    const socket = await connected();
    await until(() => socket.closed !== null, "closed after the grace period", 5_000);
    expect(socket.closed).toEqual({ code: 1008, reason: "no channel joined as a user" });
    await closeAll();
  });

  it("refuses a user's join on more sockets than allowed, and counts no user twice", async () => {
    const { token } = await userToken(alice);
    const sockets = [await connected(), await connected(), await connected()];
    expect(await join(sockets[0]!, `chat:${chatId}`, token)).toEqual({
      status: "ok",
      reason: null,
    });
    // A second channel on the same socket is the same socket.
    expect((await join(sockets[0]!, `user:${alice.id}`, token)).status).toBe("ok");
    expect((await join(sockets[1]!, `chat:${chatId}`, token)).status).toBe("ok");
    expect(await join(sockets[2]!, `chat:${chatId}`, token)).toEqual({
      status: "error",
      reason: "ConnectionRateLimitReached: Too many connections for this user",
    });
    // A socket that closes frees its place (once the server has seen it go).
    await sockets[0]!.close();
    let admitted = await join(sockets[2]!, `chat:${chatId}`, token);
    for (let attempt = 0; admitted.status !== "ok" && attempt < 2; attempt++) {
      await sleep(200);
      admitted = await join(sockets[2]!, `chat:${chatId}`, token);
    }
    expect(admitted.status).toBe("ok");
    await closeAll();
  });

  it("refuses joins past the joins a minute of one socket", async () => {
    const { token } = await userToken(alice);
    const socket = await connected();
    const outcomes = [];
    for (let i = 0; i < LIMITS.joinsPerMinute; i++) {
      outcomes.push(await join(socket, `chat:${chatId}`, token));
    }
    expect(outcomes.every((o) => o.status === "ok")).toBe(true);
    // The refusal is held a moment before it is sent, as a 429 is.
    holding.delayMs = 3000;
    try {
      let answered = false;
      const refused = join(socket, `chat:${chatId}`, token).finally(() => (answered = true));
      await vi.waitFor(() => expect(hold.count("127.0.0.1")).toBe(1), { interval: 5 });
      expect(answered).toBe(false);
      expect(await refused).toEqual({
        status: "error",
        reason: "ChannelRateLimitReached: Too many joins, try again in a minute",
      });
    } finally {
      holding.delayMs = 0;
    }
    await closeAll();
  });

  it("refuses more sockets from one address than allowed, users or not", async () => {
    const bob = await signUp("Bob");
    const tokens = [(await userToken(alice)).token, (await userToken(bob)).token];
    for (let i = 0; i < LIMITS.maxSocketsPerAddress; i++) {
      const socket = await connected();
      // Joined as a user, a socket no longer counts as anonymous.
      if (i < 4)
        expect(
          (await join(socket, `user:${i % 2 ? bob.id : alice.id}`, tokens[i % 2]!)).status,
        ).toBe("ok");
    }
    expect(await connect()).toBe(429);
    await closeAll();
  });
});

describe("new sockets a minute from one address", () => {
  it("refuses them past REALTIME_CONNECTS_PER_MINUTE with 429, before the token is checked, held a moment", async () => {
    const released: (() => void)[] = [];
    const hold = new RefusalHold(
      () => ({ delayMs: 1000, heldPerKey: 1, heldInAll: 10 }),
      () => new Promise<void>((resolve) => released.push(resolve)),
    );
    const own = await startRealtimeTestServer(database.handle, {
      limits: { connectsPerMinute: 5 },
      connectWindow: createRateLimit({ name: `connects-${randomUUID()}`, durationSeconds: 60 }),
      refusalHold: hold,
    });
    const url = `${own.url.replace("http", "ws")}/realtime/v1/websocket?apikey=not-even-a-token&vsn=2.0.0`;
    const connect = () =>
      new Promise<number>((resolve) => {
        const ws = new WebSocket(url);
        ws.once("unexpected-response", (_req, res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        ws.once("open", () => resolve(101));
      });
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push(await connect());
    // A bad key is 401 while the address is within its minute, 429 after.
    expect(statuses).toEqual([401, 401, 401, 401, 401]);
    let sixthAnswered = false;
    const sixth = connect().finally(() => (sixthAnswered = true));
    await vi.waitFor(() => expect(hold.count()).toBe(1));
    // Past the refusals one address may have held, the next is sent at once.
    expect(await connect()).toBe(429);
    expect(sixthAnswered).toBe(false);
    released.forEach((release) => release());
    expect(await sixth).toBe(429);
    await own.close();
  });
});
