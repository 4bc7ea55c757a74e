import type { RealtimeChannel, SupabaseClient } from "@supabase/supabase-js";
import { eq, sql } from "drizzle-orm";
import WebSocket from "ws";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { queryRows } from "@/db/rows";
import { userLastSeen } from "@/db/schema";
import { useTestDatabase } from "@/test/database";
import {
  realtimeClient,
  sleep,
  startRealtimeTestServer,
  subscribe,
  until,
  type RealtimeTestServer,
  userToken,
} from "@/test/realtime";
import { getAuth } from "@/server/auth";
import { callerFor, signInAgain, signUp, TEST_PASSWORD, type TestUser } from "@/test/users";
import { presenceTopic } from "@/lib/realtime/events";
import { mintAccessToken } from "@/server/realtime/tokens";

const database = useTestDatabase();

let server: RealtimeTestServer;
let alice: TestUser;
let bob: TestUser;
let mallory: TestUser;
let chatId: string;
let otherChatId: string;
const clients: SupabaseClient[] = [];

async function clientFor(who: TestUser, options: Parameters<typeof realtimeClient>[1] = {}) {
  const { token } = await userToken(who);
  const client = await realtimeClient(server.url, { token, ...options });
  clients.push(client);
  return client;
}

function chatChannel(client: SupabaseClient, id: string, config: Record<string, unknown> = {}) {
  return client.channel(`chat:${id}`, { config: { private: true, ...config } });
}

function received(channel: RealtimeChannel, event = "*") {
  const events: { event: string; payload: Record<string, unknown> }[] = [];
  channel.on("broadcast", { event }, (message) =>
    events.push({
      event: message.event,
      payload: message.payload as Record<string, unknown>,
    }),
  );
  return events;
}

beforeAll(async () => {
  server = await startRealtimeTestServer(database.handle);
  alice = await signUp("Alice");
  bob = await signUp("Bob");
  mallory = await signUp("Mallory");
  const asAlice = await callerFor(alice);
  chatId = (await asAlice.chats.createGroup({ name: "Realtime", memberIds: [bob.id] })).id;
  otherChatId = (
    await (await callerFor(mallory)).chats.createGroup({ name: "Elsewhere", memberIds: [] })
  ).id;
});

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.removeAllChannels()));
});

afterAll(async () => {
  await server.close();
});

describe("joining", () => {
  it("lets a member join the chat topic", async () => {
    const channel = chatChannel(await clientFor(alice), chatId);
    expect(await subscribe(channel)).toEqual({ status: "SUBSCRIBED" });
  });

  it("refuses a non-member, someone else's user topic, and public channels", async () => {
    const client = await clientFor(mallory);
    const outcome = await subscribe(chatChannel(client, chatId));
    expect(outcome.status).toBe("CHANNEL_ERROR");
    expect(outcome.error?.message).toMatch(/^Unauthorized: You do not have permissions/);

    const theirs = await subscribe(
      client.channel(`user:${alice.id}`, { config: { private: true } }),
    );
    expect(theirs.status).toBe("CHANNEL_ERROR");
    const mine = await subscribe(
      client.channel(`user:${mallory.id}`, { config: { private: true } }),
    );
    expect(mine.status).toBe("SUBSCRIBED");

    const open = await subscribe((await clientFor(alice)).channel(`chat:${chatId}`));
    expect(open.status).toBe("CHANNEL_ERROR");
    expect(open.error?.message).toMatch(/^PrivateOnly/);

    const unknown = await subscribe(client.channel("room:1", { config: { private: true } }));
    expect(unknown.status).toBe("CHANNEL_ERROR");
  });

  it("refuses a bad or expired token and the bare anon key", async () => {
    const forged = await realtimeClient(server.url, { token: "not-a-jwt" });
    clients.push(forged);
    const bad = await subscribe(chatChannel(forged, chatId));
    expect(bad.status).toBe("CHANNEL_ERROR");
    expect(bad.error?.message).toMatch(/^InvalidJWTToken/);

    const { token } = await userToken(alice, -5);
    const late = await realtimeClient(server.url, { token });
    clients.push(late);
    const expired = await subscribe(chatChannel(late, chatId));
    expect(expired.error?.message).toMatch(/Token has expired \d+ seconds ago/);

    const anonymous = await realtimeClient(server.url);
    clients.push(anonymous);
    expect((await subscribe(chatChannel(anonymous, chatId))).status).toBe("CHANNEL_ERROR");
  });

  it("answers a connection whose apikey is not a valid token with a 401 JSON error", async () => {
    const ws = new WebSocket(
      `${server.url.replace("http", "ws")}/realtime/v1/websocket?apikey=nope&vsn=2.0.0`,
    );
    const [status, body] = await new Promise<[number, string]>((resolve, reject) => {
      ws.on("open", () => reject(new Error("connected without a valid key")));
      ws.on("unexpected-response", (_req, res) => {
        let text = "";
        res.on("data", (chunk: Buffer) => (text += chunk.toString()));
        res.on("end", () => resolve([res.statusCode ?? 0, text]));
      });
    });
    expect(status).toBe(401);
    expect(JSON.parse(body)).toEqual({ error: "Invalid token" });
  });
});

describe("server events", () => {
  it("delivers messages.send to every subscribed member and no one else", async () => {
    const aliceChannel = chatChannel(await clientFor(alice), chatId);
    const bobChannel = chatChannel(await clientFor(bob), chatId);
    const malloryChannel = chatChannel(await clientFor(mallory), otherChatId);
    const toAlice = received(aliceChannel, "message.created");
    const toBob = received(bobChannel, "message.created");
    const toMallory = received(malloryChannel);
    for (const c of [aliceChannel, bobChannel, malloryChannel]) {
      expect((await subscribe(c)).status).toBe("SUBSCRIBED");
    }
    const sent = await (
      await callerFor(alice)
    ).messages.send({ chatId, content: "hello, realtime" });
    await until(() => toAlice.length === 1 && toBob.length === 1, "both members");
    expect(toBob[0]?.payload).toEqual({
      chatId,
      messageId: sent.id,
      seq: sent.seq,
      senderId: alice.id,
      threadRootId: null,
    });
    await sleep(100);
    expect(toMallory).toEqual([]);
  });
});

describe("client broadcasts", () => {
  it("relays typing to the other members with the sender stamped by the server", async () => {
    const aliceChannel = chatChannel(await clientFor(alice), chatId, {
      broadcast: { ack: true },
    });
    const bobChannel = chatChannel(await clientFor(bob), chatId);
    const toBob = received(bobChannel, "typing");
    const toAlice = received(aliceChannel, "typing");
    expect((await subscribe(aliceChannel)).status).toBe("SUBSCRIBED");
    expect((await subscribe(bobChannel)).status).toBe("SUBSCRIBED");

    const ack = await aliceChannel.send({
      type: "broadcast",
      event: "typing",
      payload: { userId: mallory.id, name: "Not Alice", draft: true },
    });
    expect(ack).toBe("ok");
    await until(() => toBob.length === 1, "typing at bob");
    expect(toBob[0]?.payload).toEqual({ userId: alice.id, name: "Alice", draft: true });
    await sleep(100);
    expect(toAlice).toEqual([]); // self: false is the default
  });

  it("echoes to the sender with self: true", async () => {
    const channel = chatChannel(await clientFor(alice), chatId, { broadcast: { self: true } });
    const mine = received(channel, "typing.stop");
    expect((await subscribe(channel)).status).toBe("SUBSCRIBED");
    await channel.send({ type: "broadcast", event: "typing.stop", payload: {} });
    await until(() => mine.length === 1, "own echo");
  });

  it("refuses events only the server may send", async () => {
    const aliceChannel = chatChannel(await clientFor(alice), chatId, {
      broadcast: { ack: true },
    });
    const bobChannel = chatChannel(await clientFor(bob), chatId);
    const toBob = received(bobChannel);
    await subscribe(aliceChannel);
    await subscribe(bobChannel);
    const ack = await aliceChannel.send({
      type: "broadcast",
      event: "message.created",
      payload: { chatId, messageId: "fake", seq: 999 },
    });
    expect(ack).toBe("error");
    await sleep(150);
    expect(toBob).toEqual([]);
  });
});

describe("presence", () => {
  it("syncs two clients, keyed by user id whatever the client claims, and leaves on disconnect", async () => {
    const aliceClient = await clientFor(alice);
    const bobClient = await clientFor(bob);
    const config = { private: true, presence: { enabled: true } };
    const aliceChannel = aliceClient.channel(presenceTopic(alice.organizationId), { config });
    const bobChannel = bobClient.channel(presenceTopic(bob.organizationId), { config });
    const leaves: string[] = [];
    bobChannel.on("presence", { event: "leave" }, ({ key }) => leaves.push(key));
    expect((await subscribe(aliceChannel)).status).toBe("SUBSCRIBED");
    expect(await aliceChannel.track({ userId: mallory.id, name: "Mallory" })).toBe("ok");
    expect((await subscribe(bobChannel)).status).toBe("SUBSCRIBED");
    await bobChannel.track({});

    await until(() => Object.keys(bobChannel.presenceState()).length === 2, "bob sees both");
    await until(() => Object.keys(aliceChannel.presenceState()).length === 2, "alice sees both");
    const state = bobChannel.presenceState<{ name: string; userId: string; onlineAt: string }>();
    expect(Object.keys(state).sort()).toEqual([alice.id, bob.id].sort());
    expect(state[alice.id]?.[0]).toMatchObject({ userId: alice.id, name: "Alice" });
    expect(state[mallory.id]).toBeUndefined();

    const seenAt = async (userId: string) => {
      const [row] = await database.handle.db
        .select({ at: userLastSeen.lastSeenAt })
        .from(userLastSeen)
        .where(eq(userLastSeen.userId, userId));
      return row?.at.getTime() ?? 0;
    };
    // Coming online is recorded as last seen, and going offline again, later.
    await until(async () => (await seenAt(alice.id)) > 0, "alice's last seen recorded");
    const online = await seenAt(alice.id);
    await aliceClient.realtime.disconnect();
    await until(() => leaves.includes(alice.id), "alice's leave");
    expect(Object.keys(bobChannel.presenceState())).toEqual([bob.id]);
    await until(async () => (await seenAt(alice.id)) > online, "alice's going offline recorded");
  });

  it("refuses presence on a topic a user may only read", async () => {
    const channel = (await clientFor(alice)).channel(`user:${alice.id}`, {
      config: { private: true, presence: { enabled: true } },
    });
    expect((await subscribe(channel)).status).toBe("SUBSCRIBED");
    expect(await channel.track({})).toBe("error");
  });
});

describe("membership and tokens", () => {
  it("closes a removed member's channel with a system message", async () => {
    const asAlice = await callerFor(alice);
    const carol = await signUp("Carol");
    await asAlice.chats.addMembers({ chatId, userIds: [carol.id] });
    const channel = chatChannel(await clientFor(carol), chatId);
    const system: string[] = [];
    const statuses: string[] = [];
    channel.on("system", {}, (payload: { message: string }) => system.push(payload.message));
    channel.subscribe((status) => statuses.push(status));
    await until(() => statuses.includes("SUBSCRIBED"), "carol subscribed");

    await asAlice.chats.removeMember({ chatId, userId: carol.id });
    await until(() => statuses.includes("CLOSED"), "carol's channel closed");
    expect(system).toContain(
      `You no longer have permission to read from this Channel topic: chat:${chatId}`,
    );
  });

  it("closes a channel when its token expires", async () => {
    const { token } = await userToken(bob, 2);
    const client = await realtimeClient(server.url, { token });
    clients.push(client);
    const channel = chatChannel(client, chatId);
    const system: string[] = [];
    const statuses: string[] = [];
    channel.on("system", {}, (payload: { message: string }) => system.push(payload.message));
    channel.subscribe((status) => statuses.push(status));
    await until(() => statuses.includes("CLOSED"), "expiry close", 6_000);
    expect(statuses[0]).toBe("SUBSCRIBED");
    expect(system.some((m) => /^Token has expired \d+ seconds ago$/.test(m))).toBe(true);
  });

  it("keeps a channel whose token is refreshed with setAuth", async () => {
    const client = await realtimeClient(server.url, {
      token: async () => (await userToken(bob, 2)).token,
      heartbeatIntervalMs: 400,
    });
    clients.push(client);
    const channel = chatChannel(client, chatId);
    const statuses: string[] = [];
    const events = received(channel, "message.created");
    channel.subscribe((status) => statuses.push(status));
    await until(() => statuses.includes("SUBSCRIBED"), "subscribed");
    await sleep(3_500);
    expect(statuses).toEqual(["SUBSCRIBED"]);
    await (await callerFor(alice)).messages.send({ chatId, content: "still there?" });
    await until(() => events.length === 1, "message after refreshes");
  });
});

describe("revocation", () => {
  const SESSION_ENDED = "Your session has ended: sign in again";

  async function joinedMember(who: TestUser) {
    await (await callerFor(alice)).chats.addMembers({ chatId, userIds: [who.id] });
    const { token } = await userToken(who);
    const client = await realtimeClient(server.url, { token });
    clients.push(client);
    const channel = chatChannel(client, chatId);
    const system: string[] = [];
    const statuses: string[] = [];
    const events = received(channel, "message.created");
    channel.on("system", {}, (payload: { message: string }) => system.push(payload.message));
    channel.subscribe((status) => statuses.push(status));
    await until(() => statuses.includes("SUBSCRIBED"), `${who.name} subscribed`);
    return { token, system, statuses, events };
  }

  it("closes the channels of a session that signs out, and its token joins nothing more", async () => {
    const dave = await signUp("Dave");
    const live = await joinedMember(dave);
    await getAuth().api.signOut({ headers: dave.headers });
    await until(() => live.statuses.includes("CLOSED"), "dave's channel closed");
    expect(live.system).toContain(SESSION_ENDED);

    const again = await realtimeClient(server.url, { token: live.token });
    clients.push(again);
    const refused = await subscribe(chatChannel(again, chatId));
    expect(refused.status).toBe("CHANNEL_ERROR");
    expect(refused.error?.message).toMatch(/^Unauthorized/);
  });

  it("closes a banned user's channels: no message reaches them after the ban", async () => {
    const admin = await signUp("Admin", { role: "admin" });
    const erin = await signUp("Erin");
    const live = await joinedMember(erin);
    await getAuth().api.banUser({
      body: { userId: erin.id, banReason: "Spamming the chat" },
      headers: admin.headers,
    });
    await until(() => live.statuses.includes("CLOSED"), "erin's channel closed");
    expect(live.system).toContain(SESSION_ENDED);
    await (await callerFor(alice)).messages.send({ chatId, content: "after the ban" });
    await sleep(300);
    expect(live.events).toEqual([]);
  });

  it("closes the other sessions' channels when a password change signs them out", async () => {
    const frank = await signUp("Frank");
    const laptop = await joinedMember(frank);
    const phone = await signInAgain(frank);
    const { token } = await userToken(phone);
    const client = await realtimeClient(server.url, { token });
    clients.push(client);
    const statuses: string[] = [];
    chatChannel(client, chatId).subscribe((status) => statuses.push(status));
    await until(() => statuses.includes("SUBSCRIBED"), "phone subscribed");

    await getAuth().api.changePassword({
      body: {
        currentPassword: TEST_PASSWORD,
        newPassword: "a-new-password-1",
        revokeOtherSessions: true,
      },
      headers: phone.headers,
    });
    await until(() => laptop.statuses.includes("CLOSED"), "the laptop's channel closed");
    // The session that changed the password ends too (Better Auth issues it a new one) or
    // stays: either way nothing the laptop held survives.
    expect(laptop.system).toContain(SESSION_ENDED);
  });
});

describe("leaving a workspace", () => {
  const LEFT = "You are no longer a member of this workspace";

  /** A channel of `who` with a token minted in `organizationId`, recording what happens. */
  async function watched(who: TestUser, topic: string, organizationId: string) {
    const found = await getAuth().api.getSession({ headers: who.headers });
    const { token } = await mintAccessToken(who.id, found!.session.id, organizationId);
    const client = await realtimeClient(server.url, { token });
    clients.push(client);
    const channel = client.channel(topic, {
      config: { private: true, presence: { enabled: topic.startsWith("presence:") } },
    });
    const system: string[] = [];
    const statuses: string[] = [];
    const events = received(channel);
    channel.on("system", {}, (payload: { message: string }) => system.push(payload.message));
    channel.subscribe((status) => statuses.push(status));
    await until(() => statuses.includes("SUBSCRIBED"), `${who.name} on ${topic}`);
    return { system, statuses, events };
  }

  it("closes the channels a removed member joined in that workspace at once, and tells their own topic", async () => {
    const gina = await signUp("Gina");
    await (await callerFor(alice)).chats.addMembers({ chatId, userIds: [gina.id] });
    const [own] = await queryRows<{ id: string }>(
      database.handle.db,
      sql`select "organizationId" as id from public.member
          where "userId" = ${gina.id}::uuid and "organizationId" <> ${gina.organizationId}::uuid`,
    );
    const chat = await watched(gina, `chat:${chatId}`, gina.organizationId);
    const presence = await watched(gina, presenceTopic(gina.organizationId), gina.organizationId);
    const elsewhere = await watched(gina, presenceTopic(own!.id), own!.id);
    const mine = await watched(gina, `user:${gina.id}`, gina.organizationId);

    await database.handle.db.execute(
      sql`delete from public.member
          where "userId" = ${gina.id}::uuid and "organizationId" = ${gina.organizationId}::uuid`,
    );
    await until(() => chat.statuses.includes("CLOSED"), "the chat channel closed");
    await until(() => presence.statuses.includes("CLOSED"), "the presence channel closed");
    expect(chat.system).toContain(LEFT);
    expect(presence.system).toContain(LEFT);
    await until(() => mine.events.length > 0, "her own topic told");
    expect(mine.events).toEqual([
      { event: "workspace.left", payload: { organizationId: gina.organizationId } },
    ]);
    // Her own topic and her other workspace stay as they were.
    expect(mine.statuses).not.toContain("CLOSED");
    expect(elsewhere.statuses).not.toContain("CLOSED");

    // Nothing of the chat reaches her after it.
    await (await callerFor(alice)).messages.send({ chatId, content: "after she left" });
    await sleep(300);
    expect(chat.events.filter((e) => e.event === "message.created")).toEqual([]);
  });
});

describe("postgres_changes", () => {
  it("delivers an INSERT on messages filtered by chatId to members only", async () => {
    const filter = `chatId=eq.${chatId}`;
    const binding = { event: "INSERT", schema: "public", table: "messages", filter } as const;
    const toBob: Record<string, unknown>[] = [];
    const toMallory: Record<string, unknown>[] = [];
    const system: { status: string; message: string }[] = [];
    const bobChannel = chatChannel(await clientFor(bob), chatId)
      .on("postgres_changes", binding, (change) => toBob.push(change))
      .on("system", {}, (payload: { status: string; message: string }) => system.push(payload));
    // Mallory may join her own chat, but the rows of Alice's chat are not hers to see.
    const malloryChannel = chatChannel(await clientFor(mallory), otherChatId).on(
      "postgres_changes",
      binding,
      (change) => toMallory.push(change),
    );
    expect((await subscribe(bobChannel)).status).toBe("SUBSCRIBED");
    expect((await subscribe(malloryChannel)).status).toBe("SUBSCRIBED");
    await until(() => system.some((s) => s.message === "Subscribed to PostgreSQL"), "system ok");

    const sent = await (await callerFor(alice)).messages.send({ chatId, content: "row change" });
    await until(() => toBob.length === 1, "bob's change");
    const change = toBob[0] as {
      eventType: string;
      table: string;
      new: Record<string, unknown>;
      errors: unknown;
      commit_timestamp: string;
    };
    expect(change).toMatchObject({ eventType: "INSERT", table: "messages", errors: null });
    expect(change.new).toMatchObject({
      id: sent.id,
      chatId,
      seq: sent.seq,
      content: "row change",
      senderId: alice.id,
    });
    expect(change.new).not.toHaveProperty("searchVector");
    expect(new Date(change.commit_timestamp).getTime()).not.toBeNaN();
    await sleep(150);
    expect(toMallory).toEqual([]);
  });

  it("sends a DELETE with the primary key only", async () => {
    const asAlice = await callerFor(alice);
    const message = await asAlice.messages.send({ chatId, content: "react to me" });
    const deletes: { old: Record<string, unknown>; new: Record<string, unknown> }[] = [];
    const channel = chatChannel(await clientFor(bob), chatId).on(
      "postgres_changes",
      {
        event: "DELETE",
        schema: "public",
        table: "message_reactions",
        filter: `chatId=eq.${chatId}`,
      },
      (change) => deletes.push(change),
    );
    expect((await subscribe(channel)).status).toBe("SUBSCRIBED");
    await asAlice.messages.react({ messageId: message.id, emoji: "👍" });
    await asAlice.messages.unreact({ messageId: message.id, emoji: "👍" });
    await until(() => deletes.length === 1, "the delete");
    expect(deletes[0]?.old).toEqual({ messageId: message.id, userId: alice.id, emoji: "👍" });
    expect(deletes[0]?.new).toEqual({});
  });

  it("answers bindings in the client's order and reports ones it cannot serve", async () => {
    const system: { status: string; message: string; extension: string }[] = [];
    const channel = chatChannel(await clientFor(alice), chatId)
      .on("postgres_changes", { event: "*", schema: "public", table: "chats" }, () => {})
      .on("postgres_changes", { event: "INSERT", schema: "public", table: "session" }, () => {})
      .on("system", {}, (payload: { status: string; message: string; extension: string }) =>
        system.push(payload),
      );
    expect((await subscribe(channel)).status).toBe("SUBSCRIBED");
    await until(() => system.length === 2, "two system messages");
    expect(system.map((s) => s.status).sort()).toEqual(["error", "ok"]);
    expect(system.find((s) => s.status === "error")?.message).toMatch(/^Unable to subscribe/);
  });

  it("notifies only while someone subscribes", async () => {
    const claims = () =>
      queryRows<{ n: number }>(
        database.handle.db,
        sql`select count(*)::int as n from public.realtime_captures where "tableName" = 'chat_members'`,
      );
    const client = await clientFor(alice);
    const channel = chatChannel(client, chatId).on(
      "postgres_changes",
      { event: "UPDATE", schema: "public", table: "chat_members" },
      () => {},
    );
    expect((await subscribe(channel)).status).toBe("SUBSCRIBED");
    expect(await claims()).toEqual([{ n: 1 }]);
    await client.removeChannel(channel);
    await sleep(100);
    expect(await claims()).toEqual([{ n: 0 }]);
  });
});

describe("user topics", () => {
  it("tell members about activity, and a user about being added and removed", async () => {
    const carol = await signUp("Carol");
    const channel = (await clientFor(carol)).channel(`user:${carol.id}`, {
      config: { private: true },
    });
    const events = received(channel);
    expect((await subscribe(channel)).status).toBe("SUBSCRIBED");
    const asAlice = await callerFor(alice);
    await asAlice.chats.addMembers({ chatId, userIds: [carol.id] });
    const sent = await asAlice.messages.send({ chatId, content: "welcome, Carol" });
    await asAlice.chats.removeMember({ chatId, userId: carol.id });
    await until(() => events.some((e) => e.event === "chat.removed"), "removal");
    const names = events.map((e) => e.event);
    expect(names.indexOf("chat.added")).toBeLessThan(names.indexOf("chat.activity"));
    expect(events.find((e) => e.event === "chat.activity")?.payload).toEqual({
      chatId,
      messageId: sent.id,
      seq: sent.seq,
      kind: "created",
      senderId: alice.id,
      threadRootId: null,
    });
    expect(events.find((e) => e.event === "chat.removed")?.payload).toMatchObject({
      chatId,
      change: "removed",
    });
  });
});
