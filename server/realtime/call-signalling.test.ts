import type { RealtimeChannel, SupabaseClient } from "@supabase/supabase-js";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { useTestDatabase } from "@/test/database";
import {
  realtimeClient,
  sleep,
  startRealtimeTestServer,
  subscribe,
  until,
  userToken,
  type RealtimeTestServer,
} from "@/test/realtime";
import { callerFor, signUp, type TestUser } from "@/test/users";

/**
 * A call's signalling over Parley's gateway: the topic `call:<id>` is for those in the live
 * call; a signal names the one participant it is for and reaches only them, stamped by the
 * gateway with its sender.
 */
const database = useTestDatabase();

let server: RealtimeTestServer;
let alice: TestUser;
let bob: TestUser;
let carol: TestUser;
let mallory: TestUser;
let groupId: string;
const clients: SupabaseClient[] = [];

async function callChannel(who: TestUser, callId: string) {
  const { token } = await userToken(who);
  const client = await realtimeClient(server.url, { token });
  clients.push(client);
  const channel = client.channel(`call:${callId}`, {
    config: { private: true, broadcast: { ack: true } },
  });
  const signals: Record<string, unknown>[] = [];
  const system: string[] = [];
  channel.on("broadcast", { event: "signal" }, (m) =>
    signals.push(m.payload as Record<string, unknown>),
  );
  channel.on("system", {}, (payload: { message: string }) => system.push(payload.message));
  return { channel, signals, system, outcome: await subscribe(channel) };
}

const send = (channel: RealtimeChannel, event: string, payload: Record<string, unknown>) =>
  channel.send({ type: "broadcast", event, payload });

beforeAll(async () => {
  server = await startRealtimeTestServer(database.handle);
  alice = await signUp("Alice");
  bob = await signUp("Bob");
  carol = await signUp("Carol");
  mallory = await signUp("Mallory");
  groupId = (
    await (
      await callerFor(alice)
    ).chats.createGroup({
      name: "Huddle",
      memberIds: [bob.id, carol.id],
    })
  ).id;
});

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.removeAllChannels()));
});

afterAll(async () => {
  await server.close();
});

describe("call signalling", () => {
  it("carries a signal to the one participant it names, stamped with its sender", async () => {
    const live = await (await callerFor(alice)).calls.start({ chatId: groupId, kind: "video" });
    await (await callerFor(bob)).calls.join({ callId: live.id });
    await (await callerFor(carol)).calls.join({ callId: live.id });
    const a = await callChannel(alice, live.id);
    const b = await callChannel(bob, live.id);
    const c = await callChannel(carol, live.id);
    expect([a.outcome.status, b.outcome.status, c.outcome.status]).toEqual([
      "SUBSCRIBED",
      "SUBSCRIBED",
      "SUBSCRIBED",
    ]);

    const offer = { kind: "description", description: { type: "offer", sdp: "v=0\r\n" } };
    expect(
      await send(a.channel, "signal", { to: bob.id, signal: offer, userId: carol.id, name: "x" }),
    ).toBe("ok");
    await until(() => b.signals.length === 1, "Bob's signal");
    expect(b.signals).toEqual([{ to: bob.id, signal: offer, userId: alice.id, name: "Alice" }]);
    await sleep(100);
    expect(c.signals).toEqual([]);
    expect(a.signals).toEqual([]);

    // A signal must name its recipient; and a call's topic carries nothing but signals.
    expect(await send(a.channel, "signal", { signal: offer })).toBe("error");
    expect(await send(a.channel, "typing", {})).toBe("error");
    await (await callerFor(alice)).calls.leave({ callId: live.id });
    await (await callerFor(bob)).calls.leave({ callId: live.id });
    await (await callerFor(carol)).calls.leave({ callId: live.id });
  });

  it("keeps out whoever is not in the call, and closes the topic for those who leave it", async () => {
    const live = await (await callerFor(alice)).calls.start({ chatId: groupId, kind: "audio" });
    await (await callerFor(bob)).calls.join({ callId: live.id });
    // Carol is only being rung; Mallory is not in the chat at all.
    expect((await callChannel(carol, live.id)).outcome.status).not.toBe("SUBSCRIBED");
    expect((await callChannel(mallory, live.id)).outcome.status).not.toBe("SUBSCRIBED");

    const b = await callChannel(bob, live.id);
    expect(b.outcome.status).toBe("SUBSCRIBED");
    await (await callerFor(bob)).calls.leave({ callId: live.id });
    await until(() => b.system.length > 0, "Bob's call topic closed");
    expect(b.system[0]).toMatch(/permission|unauthorized|no longer/i);
  });

  it("refuses a signal on a chat topic", async () => {
    const { token } = await userToken(alice);
    const client = await realtimeClient(server.url, { token });
    clients.push(client);
    const channel = client.channel(`chat:${groupId}`, {
      config: { private: true, broadcast: { ack: true } },
    });
    expect((await subscribe(channel)).status).toBe("SUBSCRIBED");
    expect(await send(channel, "signal", { to: bob.id, signal: {} })).toBe("error");
    expect(await send(channel, "typing", {})).toBe("ok");
  });
});
