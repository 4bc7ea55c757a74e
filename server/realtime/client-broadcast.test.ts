import type { RealtimeChannel, SupabaseClient } from "@supabase/supabase-js";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { useTestDatabase } from "@/test/database";
import {
  rawSocket,
  realtimeClient,
  sleep,
  startRealtimeTestServer,
  subscribe,
  until,
  type RawSocket,
  type RealtimeTestServer,
  userToken,
} from "@/test/realtime";
import { callerFor, signUp, type TestUser } from "@/test/users";
import { decodeFrame } from "./serializer";

/**
 * Broadcasts the gateway will not carry — raw bytes, events clients may not send — are refused
 * where the sender can see it, and reach no one.
 */
const database = useTestDatabase();

let server: RealtimeTestServer;
let alice: TestUser;
let bob: TestUser;
let chatId: string;
const clients: SupabaseClient[] = [];

const BINARY_REFUSED = "Binary payloads are not accepted: broadcast a JSON object";
const CHAT_EVENTS_ONLY = "Unauthorized: clients may only broadcast typing, typing.stop here";

interface Seen {
  topic: string;
  event: string;
  payload: { status?: string; response?: { reason?: string } };
}

/** supabase-js for `who`, with every message its socket decodes kept in `seen`. */
async function clientFor(who: TestUser) {
  const client = await realtimeClient(server.url, { token: (await userToken(who)).token });
  clients.push(client);
  const seen: Seen[] = [];
  client.realtime.stateChangeCallbacks.message.push(["seen", (m: Seen) => seen.push(m)]);
  return { client, seen };
}

async function chatChannel(client: SupabaseClient, broadcast: { ack?: boolean } = {}) {
  const channel = client.channel(`chat:${chatId}`, { config: { private: true, broadcast } });
  const system: { status: string; message: string }[] = [];
  const broadcasts: { event: string; payload: unknown }[] = [];
  channel
    .on("system", {}, (m: { status: string; message: string }) => system.push(m))
    .on("broadcast", { event: "*" }, (m) =>
      broadcasts.push({ event: m.event, payload: m.payload }),
    );
  expect((await subscribe(channel)).status).toBe("SUBSCRIBED");
  return { channel, system, broadcasts };
}

const bytes = () => new Uint8Array([0, 1, 2, 250, 255]).buffer;

const send = (channel: RealtimeChannel, event: string, payload: unknown) =>
  channel.send({ type: "broadcast", event, payload });

/** A kind-3 frame as realtime-js builds it; `encoding` 0 carries raw bytes, 1 JSON. */
function userBroadcastPush(
  ref: string,
  topic: string,
  event: string,
  encoding: 0 | 1,
  body: Buffer,
) {
  const parts = ["1", ref, topic, event, ""].map((s) => Buffer.from(s));
  const header = Buffer.from([3, ...parts.map((p) => p.length), encoding]);
  return Buffer.concat([header, ...parts, body]);
}

const replyTo = (socket: RawSocket, ref: string) =>
  socket.arrays().find((f) => f[1] === ref && f[3] === "phx_reply")?.[4] as
    { status: string; response: { reason?: string } } | undefined;

const systemErrors = (socket: RawSocket) =>
  socket
    .arrays()
    .filter((f) => f[3] === "system")
    .map((f) => f[4] as { status: string; message: string })
    .filter((p) => p.status === "error")
    .map((p) => p.message);

beforeAll(async () => {
  server = await startRealtimeTestServer(database.handle);
  alice = await signUp("Alice");
  bob = await signUp("Bob");
  chatId = (
    await (await callerFor(alice)).chats.createGroup({ name: "Bytes", memberIds: [bob.id] })
  ).id;
});

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.removeAllChannels()));
});

afterAll(async () => {
  await server.close();
});

describe("supabase-js", () => {
  it("answers an ArrayBuffer broadcast with ack with an error at once, and delivers it to no one", async () => {
    const sender = await clientFor(alice);
    const { channel } = await chatChannel(sender.client, { ack: true });
    const other = await chatChannel((await clientFor(bob)).client);

    const started = Date.now();
    expect(await send(channel, "typing", bytes())).toBe("error");
    expect(Date.now() - started).toBeLessThan(2_000);
    const reply = sender.seen.find((m) => m.event === "phx_reply" && m.payload.status === "error");
    expect(reply?.payload.response?.reason).toBe(BINARY_REFUSED);

    // The same event as JSON still goes through, stamped, so the refusal was the bytes'.
    expect(await send(channel, "typing", { draft: true })).toBe("ok");
    await until(() => other.broadcasts.length === 1, "the JSON typing at Bob");
    await sleep(100);
    expect(other.broadcasts).toEqual([
      { event: "typing", payload: { draft: true, userId: alice.id, name: "Alice" } },
    ]);
  });

  it("tells a sender without ack of a refused event on the channel, never with an ok", async () => {
    const sender = await clientFor(alice);
    const mine = await chatChannel(sender.client);
    const other = await chatChannel((await clientFor(bob)).client);

    // Without ack supabase-js settles the send itself; what the gateway says comes after.
    await send(mine.channel, "cursor", { x: 1, y: 2 });
    await until(() => mine.system.some((s) => s.status === "error"), "a system error");
    expect(mine.system.filter((s) => s.status === "error").map((s) => s.message)).toEqual([
      CHAT_EVENTS_ONLY,
    ]);

    await send(mine.channel, "typing", bytes());
    await until(() => mine.system.some((s) => s.message === BINARY_REFUSED), "the binary refusal");

    await sleep(150);
    expect(other.broadcasts).toEqual([]);
    // On the channel's topic only the join was answered "ok"; each refused send, "error".
    const replies = sender.seen.filter(
      (m) => m.topic === `realtime:chat:${chatId}` && m.event === "phx_reply",
    );
    expect(replies.map((m) => m.payload.status)).toEqual(["ok", "error", "error"]);
  });
});

describe("the wire", () => {
  it("answers a binary kind-3 frame under its ref, tells a channel without ack, and fans out nothing", async () => {
    const topic = `realtime:chat:${chatId}`;
    const [aliceToken, bobToken] = await Promise.all([userToken(alice), userToken(bob)]);
    const sender = await rawSocket(server.url);
    const receiver = await rawSocket(server.url);
    const join = (token: string) => ({ config: { private: true }, access_token: token });
    sender.send(["1", "1", topic, "phx_join", join(aliceToken.token)]);
    receiver.send(["1", "1", topic, "phx_join", join(bobToken.token)]);
    await until(
      () => replyTo(sender, "1") !== undefined && replyTo(receiver, "1") !== undefined,
      "joins",
    );

    sender.ws.send(userBroadcastPush("2", topic, "typing", 0, Buffer.from([1, 2, 3])));
    await until(() => replyTo(sender, "2") !== undefined, "the reply to the binary frame");
    expect(replyTo(sender, "2")).toEqual({
      status: "error",
      response: { reason: BINARY_REFUSED },
    });
    // This channel has no ack, so the channel hears it too.
    await until(() => systemErrors(sender).includes(BINARY_REFUSED), "the system error");

    sender.ws.send(userBroadcastPush("3", topic, "typing", 1, Buffer.from("{not json")));
    await until(() => replyTo(sender, "3") !== undefined, "the reply to the bad JSON");
    expect(replyTo(sender, "3")?.response.reason).toBe("A broadcast payload must be valid JSON");

    await sleep(150);
    expect(receiver.binary).toEqual([]);
    expect(receiver.arrays().filter((f) => f[3] === "broadcast")).toEqual([]);
    await Promise.all([sender.close(), receiver.close()]);
  });

  it("decodes a kind-3 frame with raw bytes far enough to refuse it under its ref", () => {
    const frame = decodeFrame(
      userBroadcastPush("7", "realtime:room:1", "typing", 0, Buffer.from([9, 9])),
      true,
      "2.0.0",
    );
    expect(frame).toEqual({
      joinRef: "1",
      ref: "7",
      topic: "realtime:room:1",
      event: "broadcast",
      payload: { type: "broadcast", event: "typing" },
      binary: true,
      unreadable: BINARY_REFUSED,
    });
  });
});
