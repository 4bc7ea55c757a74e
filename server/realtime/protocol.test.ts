import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useTestDatabase } from "@/test/database";
import {
  realtimeClient,
  startRealtimeTestServer,
  subscribe,
  until,
  type RealtimeTestServer,
  userToken,
  rawSocket as openRawSocket,
  type RawSocket,
} from "@/test/realtime";
import { callerFor, signUp, type TestUser } from "@/test/users";
import { decodeFrame, OutgoingBroadcast } from "./serializer";
import { mintServiceToken } from "./tokens";
import { presenceTopic } from "@/lib/realtime/events";

/** Wire-level behaviour, with a raw WebSocket where supabase-js would hide it. */
const database = useTestDatabase();

let server: RealtimeTestServer;
let alice: TestUser;
let bob: TestUser;
let chatId: string;

const rawSocket = (vsn = "2.0.0") => openRawSocket(server.url, vsn);

/** A kind-3 frame exactly as realtime-js builds it for channel.send(). */
function userBroadcastPush(
  joinRef: string,
  ref: string,
  topic: string,
  event: string,
  payload: unknown,
) {
  const parts = [joinRef, ref, topic, event, ""].map((s) => Buffer.from(s));
  const header = Buffer.from([3, ...parts.map((p) => p.length), 1]);
  return Buffer.concat([header, ...parts, Buffer.from(JSON.stringify(payload))]);
}

const replyTo = (socket: RawSocket, ref: string) =>
  socket.text.find((f) => Array.isArray(f) && f[1] === ref && f[3] === "phx_reply") as
    | [string, string, string, string, { status: string; response: Record<string, unknown> }]
    | undefined;

beforeAll(async () => {
  server = await startRealtimeTestServer(database.handle, {
    limits: { idleTimeoutMs: 1_000, maxMessagesPerSecond: 20, maxChannels: 3 },
  });
  alice = await signUp("Alice");
  bob = await signUp("Bob");
  chatId = (await (await callerFor(alice)).chats.createGroup({ name: "Wire", memberIds: [bob.id] }))
    .id;
});

afterAll(async () => {
  await server.close();
});

describe("framing", () => {
  it("answers heartbeats on the phoenix topic", async () => {
    const socket = await rawSocket();
    socket.send([null, "1", "phoenix", "heartbeat", {}]);
    await until(() => replyTo(socket, "1") !== undefined, "heartbeat reply");
    expect(replyTo(socket, "1")).toEqual([
      null,
      "1",
      "phoenix",
      "phx_reply",
      { status: "ok", response: {} },
    ]);
    socket.ws.close();
  });

  it("closes a socket that stops sending heartbeats", async () => {
    const socket = await rawSocket();
    await until(() => socket.closed !== null, "idle close", 4_000);
  });

  it("decodes binary kind-3 broadcasts and fans them out as kind 4 (vsn 2) or JSON (vsn 1)", async () => {
    const [aliceToken, bobToken] = await Promise.all([userToken(alice), userToken(bob)]);
    const topic = `realtime:chat:${chatId}`;
    const join = (token: string) => ({ config: { private: true }, access_token: token });
    const sender = await rawSocket("2.0.0");
    const v2 = await rawSocket("2.0.0");
    const v1 = await rawSocket("1.0.0");
    sender.send(["1", "1", topic, "phx_join", join(aliceToken.token)]);
    v2.send(["1", "1", topic, "phx_join", join(bobToken.token)]);
    v1.ws.send(
      JSON.stringify({
        topic,
        event: "phx_join",
        payload: join(bobToken.token),
        ref: "1",
        join_ref: "1",
      }),
    );
    await until(
      () => replyTo(sender, "1") !== undefined && replyTo(v2, "1") !== undefined,
      "joins",
    );
    await until(
      () => v1.text.some((f) => (f as { event?: string }).event === "phx_reply"),
      "v1 join",
    );
    expect(replyTo(sender, "1")?.[4]).toEqual({ status: "ok", response: { postgres_changes: [] } });
    expect(v1.text[0]).toMatchObject({
      topic,
      event: "phx_reply",
      ref: "1",
      payload: { status: "ok" },
    });

    sender.ws.send(userBroadcastPush("1", "2", topic, "typing", { text: "hi" }));
    await until(() => v2.binary.length === 1, "kind 4 at the vsn 2 client");
    const frame = v2.binary[0] as Buffer;
    expect(frame[0]).toBe(4);
    const topicLength = frame[1] as number;
    const eventLength = frame[2] as number;
    expect(frame.subarray(5, 5 + topicLength).toString()).toBe(topic);
    expect(frame.subarray(5 + topicLength, 5 + topicLength + eventLength).toString()).toBe(
      "typing",
    );
    expect(JSON.parse(frame.subarray(5 + topicLength + eventLength).toString())).toEqual({
      text: "hi",
      userId: alice.id,
      name: "Alice",
    });
    await until(
      () => v1.text.some((f) => (f as { event?: string }).event === "broadcast"),
      "JSON broadcast at the vsn 1 client",
    );
    expect(v1.text.find((f) => (f as { event?: string }).event === "broadcast")).toMatchObject({
      topic,
      event: "broadcast",
      payload: { type: "broadcast", event: "typing", payload: { text: "hi", userId: alice.id } },
    });
    // Never a binary kind the client cannot decode.
    for (const socket of [sender, v2, v1]) {
      expect(socket.binary.every((b) => b[0] === 4)).toBe(true);
      socket.ws.close();
    }
  });

  it("decodes what realtime-js encodes", () => {
    const frame = decodeFrame(
      Buffer.from(
        "0301010f06000136377265616c74696d653a726f6f6d3a31747970696e67" +
          Buffer.from('{"user":"me"}').toString("hex"),
        "hex",
      ),
      true,
      "2.0.0",
    );
    expect(frame).toEqual({
      joinRef: "6",
      ref: "7",
      topic: "realtime:room:1",
      event: "broadcast",
      payload: { type: "broadcast", event: "typing", payload: { user: "me" } },
      binary: true,
    });
  });

  it("encodes a broadcast once per protocol version, whatever the number of sockets", () => {
    const broadcast = new OutgoingBroadcast(
      "realtime:chat:1",
      "message.created",
      { seq: 3 },
      false,
    );
    const v1 = broadcast.encodedFor("1.0.0");
    const v2 = broadcast.encodedFor("2.0.0");
    expect(broadcast.encodedFor("1.0.0").data).toBe(v1.data);
    expect(broadcast.encodedFor("2.0.0").data).toBe(v2.data);
    const inner = { type: "broadcast", event: "message.created", payload: { seq: 3 } };
    expect(v1.binary).toBe(false);
    expect(JSON.parse(v1.data.toString())).toEqual({
      topic: "realtime:chat:1",
      event: "broadcast",
      payload: inner,
      ref: null,
      join_ref: null,
    });
    expect(v2.binary).toBe(false);
    expect(JSON.parse(v2.data.toString())).toEqual([
      null,
      null,
      "realtime:chat:1",
      "broadcast",
      inner,
    ]);
    // A binary user broadcast stays binary (kind 4) for vsn 2.0.0 only.
    const typing = new OutgoingBroadcast("realtime:room:1", "typing", { user: "me" }, true);
    expect(typing.encodedFor("2.0.0").binary).toBe(true);
    expect(typing.encodedFor("2.0.0").data[0]).toBe(4);
    expect(typing.encodedFor("1.0.0").binary).toBe(false);
  });

  it("answers a message for a topic that was never joined", async () => {
    const socket = await rawSocket();
    socket.send(["9", "9", "realtime:chat:x", "broadcast", { type: "broadcast", event: "typing" }]);
    await until(() => replyTo(socket, "9") !== undefined, "reply");
    expect(replyTo(socket, "9")?.[4]).toEqual({
      status: "error",
      response: { reason: "unmatched topic" },
    });
    socket.ws.close();
  });
});

describe("supabase-js on vsn 1.0.0", () => {
  it("subscribes and receives server events", async () => {
    const client = await realtimeClient(server.url, {
      token: (await userToken(bob)).token,
      vsn: "1.0.0",
      heartbeatIntervalMs: 300,
    });
    const events: unknown[] = [];
    const channel = client
      .channel(`chat:${chatId}`, { config: { private: true } })
      .on("broadcast", { event: "message.created" }, (m) => events.push(m.payload));
    expect((await subscribe(channel)).status).toBe("SUBSCRIBED");
    await (await callerFor(alice)).messages.send({ chatId, content: "over vsn 1" });
    await until(() => events.length === 1, "the event");
    await client.removeAllChannels();
  });
});

describe("limits", () => {
  it("refuses a join past the channel limit", async () => {
    const client = await realtimeClient(server.url, {
      token: (await userToken(alice)).token,
      heartbeatIntervalMs: 300,
    });
    const topics = [`chat:${chatId}`, `user:${alice.id}`, presenceTopic(alice.organizationId)];
    for (const t of topics) {
      expect((await subscribe(client.channel(t, { config: { private: true } }))).status).toBe(
        "SUBSCRIBED",
      );
    }
    const fourth = await subscribe(
      client.channel(`chat:00000000-0000-4000-8000-000000000000`, { config: { private: true } }),
    );
    expect(fourth.status).toBe("CHANNEL_ERROR");
    expect(fourth.error?.message).toMatch(/^ChannelRateLimitReached/);
    await client.removeAllChannels();
  });

  it("closes a connection that sends too many messages per second", async () => {
    const { token } = await userToken(alice);
    const socket = await rawSocket();
    const topic = `realtime:chat:${chatId}`;
    socket.send(["1", "1", topic, "phx_join", { config: { private: true }, access_token: token }]);
    await until(() => replyTo(socket, "1") !== undefined, "join");
    for (let i = 0; i < 40; i++)
      socket.ws.send(userBroadcastPush("1", String(i + 2), topic, "typing", {}));
    await until(() => socket.closed !== null, "rate-limit close");
    const system = socket.text.find((f) => Array.isArray(f) && f[3] === "system") as unknown[];
    expect(system?.[4]).toMatchObject({ status: "error", message: "Too many messages per second" });
    expect(socket.text.some((f) => Array.isArray(f) && f[3] === "phx_close")).toBe(true);
  });
});

describe("broadcast HTTP API", () => {
  const post = (path: string, token: string | null, body: unknown) =>
    fetch(`${server.url}/realtime/v1/api/broadcast${path}`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: JSON.stringify(body),
    });

  it("accepts server events from the service token and typing from members, with 202", async () => {
    const client = await realtimeClient(server.url, {
      token: (await userToken(bob)).token,
      heartbeatIntervalMs: 300,
    });
    const events: { event: string; payload: Record<string, unknown> }[] = [];
    const channel = client
      .channel(`chat:${chatId}`, { config: { private: true } })
      .on("broadcast", { event: "*" }, (m) =>
        events.push({ event: m.event, payload: m.payload as Record<string, unknown> }),
      );
    expect((await subscribe(channel)).status).toBe("SUBSCRIBED");

    const service = await mintServiceToken();
    const batch = await post("", service, {
      messages: [
        {
          topic: `chat:${chatId}`,
          event: "chat.updated",
          payload: { chatId, change: "updated", seq: 1 },
        },
      ],
    });
    expect(batch.status).toBe(202);
    const aliceToken = (await userToken(alice)).token;
    const single = await post(
      `/${encodeURIComponent(`chat:${chatId}`)}/events/typing`,
      aliceToken,
      {
        userId: bob.id,
      },
    );
    expect(single.status).toBe(202);
    await until(() => events.length === 2, "both events");
    expect(events[0]).toEqual({
      event: "chat.updated",
      payload: { chatId, change: "updated", seq: 1 },
    });
    expect(events[1]).toEqual({ event: "typing", payload: { userId: alice.id, name: "Alice" } });
    await client.removeAllChannels();
  });

  it("refuses what a join would refuse, and sends nothing of a refused batch", async () => {
    const aliceToken = (await userToken(alice)).token;
    const outsider = await signUp("Outsider");
    const outsiderToken = (await userToken(outsider)).token;
    expect((await post("", null, { messages: [] })).status).toBe(401);
    expect((await post("", "garbage", { messages: [] })).status).toBe(401);
    const serverOnly = await post("", aliceToken, {
      messages: [
        { topic: `chat:${chatId}`, event: "typing", payload: {} },
        { topic: `chat:${chatId}`, event: "message.created", payload: {} },
      ],
    });
    expect(serverOnly.status).toBe(403);
    expect(await serverOnly.json()).toMatchObject({ statusCode: 403 });
    const notMember = await post("", outsiderToken, {
      messages: [{ topic: `chat:${chatId}`, event: "typing", payload: {} }],
    });
    expect(notMember.status).toBe(403);
    const bad = await fetch(`${server.url}/realtime/v1/api/broadcast`, {
      method: "POST",
      headers: { authorization: `Bearer ${aliceToken}` },
      body: "{not json",
    });
    expect(bad.status).toBe(400);
  });

  it("answers a malformed path escape with 400 and another method with 405, in Supabase's shape", async () => {
    const token = (await userToken(alice)).token;
    const escaped = await post("/%ZZ/events/typing", token, {});
    expect(escaped.status).toBe(400);
    expect(await escaped.json()).toEqual({
      statusCode: 400,
      message: "Malformed percent-escape in the path",
    });
    const get = await fetch(`${server.url}/realtime/v1/api/broadcast`);
    expect(get.status).toBe(405);
    expect(((await get.json()) as { message: string }).message).toBe("Use POST");
    expect(get.headers.get("x-content-type-options")).toBe("nosniff");
  });
});
