import type { SupabaseClient } from "@supabase/supabase-js";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { MessageView } from "@/contracts/messages";
import { useTestDatabase } from "@/test/database";
import {
  realtimeClient,
  sleep,
  startRealtimeTestServer,
  until,
  type RealtimeTestServer,
} from "@/test/realtime";
import { callerFor, signUp, type TestUser } from "@/test/users";
import { ChannelRegistry, type ChannelHandle, type SubscribeStatus } from "./channel-registry";
import { createChatSync, seqFromEvent, type ChatSync, type SyncedMessage } from "./chat-sync";
import { chatTopic } from "./events";
import { createTokenSource } from "./token-source";

const database = useTestDatabase();

let server: RealtimeTestServer;
let alice: TestUser;
let bob: TestUser;
let chatId: string;
/** Run after each test; may return a promise. */
const cleanups: (() => unknown)[] = [];

beforeAll(async () => {
  server = await startRealtimeTestServer(database.handle);
  alice = await signUp("Alice");
  bob = await signUp("Bob");
  chatId = (await (await callerFor(alice)).chats.createGroup({ name: "Sync", memberIds: [bob.id] }))
    .id;
});

afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()));
});

afterAll(async () => {
  await server.close();
});

/** The real client, with tokens from the real `realtime.token` procedure. */
async function clientFor(who: TestUser): Promise<SupabaseClient> {
  const caller = await callerFor(who);
  const client = await realtimeClient(server.url, {
    token: createTokenSource(() => caller.realtime.token()),
  });
  cleanups.push(() => client.removeAllChannels());
  return client;
}

/** `fetchAfter` backed by messages.list, with a small page so the hasNewer loop runs. */
async function listAfter(who: TestUser, limit = 2) {
  const caller = await callerFor(who);
  const calls: number[] = [];
  const fetchAfter = async (after: number) => {
    calls.push(after);
    const page = await caller.messages.list({ chatId, after, limit });
    return { items: page.messages, hasNewer: page.hasNewer };
  };
  return { fetchAfter, calls };
}

/** Everything in the chat as the server has it, oldest first. */
async function allMessages(who: TestUser): Promise<MessageView[]> {
  const caller = await callerFor(who);
  const all: MessageView[] = [];
  for (let after = 0, more = true; more;) {
    const page = await caller.messages.list({ chatId, after, limit: 100 });
    all.push(...page.messages);
    more = page.hasNewer;
    after = page.messages.at(-1)?.seq ?? after;
  }
  return all;
}

/** Chat sync on a registry channel, wired the way useChatChannel wires it. */
function follow(registry: ChannelRegistry, sync: ChatSync<MessageView>) {
  const statuses: SubscribeStatus[] = [];
  const handle: ChannelHandle = registry.acquire(chatTopic(chatId), {
    onStatus: (status) => {
      statuses.push(status);
      if (status === "SUBSCRIBED") sync.handleSubscribed();
    },
    onBroadcast: (event, payload) => {
      const seq = seqFromEvent(event, payload);
      if (seq !== null) sync.noteSeq(seq);
    },
  });
  cleanups.push(() => {
    handle.release();
    sync.dispose();
  });
  return statuses;
}

const ids = (messages: { id: string }[]) => messages.map((m) => m.id);

function expectStrictlyIncreasing(messages: SyncedMessage[]): void {
  for (let i = 1; i < messages.length; i++) {
    expect(messages[i]?.seq).toBeGreaterThan(messages[i - 1]?.seq ?? 0);
  }
}

describe("chat sync against the real gateway", () => {
  it("gets every message exactly once, in order, across a dropped socket", async () => {
    const asAlice = await callerFor(alice);
    const client = await clientFor(bob);
    const registry = new ChannelRegistry(client, { releaseDelayMs: 0 });
    const received: MessageView[] = [];
    const { fetchAfter, calls } = await listAfter(bob);
    const sync = createChatSync({ chatId, fetchAfter, onMessages: (m) => received.push(...m) });
    const statuses = follow(registry, sync);

    await until(() => statuses.includes("SUBSCRIBED"), "bob subscribed");
    for (const content of ["one", "two", "three"]) await asAlice.messages.send({ chatId, content });
    let expected = await allMessages(bob);
    await until(() => received.length === expected.length, "live messages");
    expect(ids(received)).toEqual(ids(expected));

    await client.realtime.disconnect();
    await until(() => statuses.at(-1) === "CHANNEL_ERROR", "the drop reaches the channel");
    const missed: MessageView[] = [];
    for (let i = 1; i <= 5; i++) {
      missed.push(await asAlice.messages.send({ chatId, content: `while away ${i}` }));
    }
    await sleep(200);
    expect(received).toHaveLength(expected.length); // nothing can arrive without a socket

    const fetchesBefore = calls.length;
    client.realtime.connect();
    expected = await allMessages(bob);
    await until(() => received.length >= expected.length, "gap-filled messages");
    await sync.idle();
    await sleep(200);

    expect(statuses.filter((s) => s === "SUBSCRIBED")).toHaveLength(2);
    expect(ids(received)).toEqual(ids(expected));
    expect(new Set(ids(received)).size).toBe(received.length);
    expectStrictlyIncreasing(received);
    expect(ids(received).slice(-5)).toEqual(ids(missed));
    // The five came from the rejoin's fill, in pages of two, starting at the last seen seq.
    expect(calls.slice(fetchesBefore)[0]).toBe(missed[0]!.seq - 1);
  });

  it("drops the duplicates that a broadcast, a refetch and one's own send produce", async () => {
    const asAlice = await callerFor(alice);
    const client = await clientFor(alice);
    const registry = new ChannelRegistry(client, { releaseDelayMs: 0 });
    const start = (await allMessages(alice)).at(-1)?.seq ?? 0;
    const received: MessageView[] = [];
    const { fetchAfter: list } = await listAfter(alice, 100);
    // A slow server that also answers with messages already seen (two seqs of overlap).
    const fetchAfter = async (after: number) => {
      await sleep(50);
      return list(Math.max(start, after - 2));
    };
    const sync = createChatSync({
      chatId,
      fetchAfter,
      initialSeq: start,
      onMessages: (m) => received.push(...m),
    });
    const statuses = follow(registry, sync);
    await until(() => statuses.includes("SUBSCRIBED"), "alice subscribed");

    const first = await asAlice.messages.send({ chatId, content: "mine" });
    sync.ingest([first]); // the sender shows her own message at once
    const second = await asAlice.messages.send({ chatId, content: "mine again" });
    sync.handleSubscribed(); // as if a rejoin raced the broadcasts
    sync.ingest([second, first]);
    await until(() => received.length >= 2, "both messages");
    await sync.idle();
    await sleep(300);

    expect(ids(received)).toEqual([first.id, second.id]);
    sync.ingest([first, second]);
    await sync.idle();
    expect(received).toHaveLength(2);
  });
});

describe("the channel registry", () => {
  it("keeps one channel through a Strict Mode mount, unmount and remount", async () => {
    const client = await clientFor(bob);
    const registry = new ChannelRegistry(client, { releaseDelayMs: 50 });
    const first: SubscribeStatus[] = [];
    const second: SubscribeStatus[] = [];
    const events: string[] = [];

    registry.acquire(chatTopic(chatId), { onStatus: (s) => first.push(s) }).release();
    const handle = registry.acquire(chatTopic(chatId), {
      onStatus: (s) => second.push(s),
      onBroadcast: (event) => events.push(event),
    });
    cleanups.push(() => handle.release());
    await until(() => second.includes("SUBSCRIBED"), "the remounted listener joined");
    expect(first).toEqual([]);
    expect(client.getChannels().map((c) => c.topic)).toEqual([`realtime:chat:${chatId}`]);

    // A late listener on the live channel still hears that it is joined.
    const late: SubscribeStatus[] = [];
    const lateHandle = registry.acquire(chatTopic(chatId), { onStatus: (s) => late.push(s) });
    await until(() => late.includes("SUBSCRIBED"), "late listener");
    lateHandle.release();
    expect(client.getChannels()).toHaveLength(1);

    await (await callerFor(alice)).messages.send({ chatId, content: "one channel" });
    await until(() => events.includes("message.created"), "event on the shared channel");
    expect(events.filter((e) => e === "message.created")).toHaveLength(1);

    handle.release();
    await until(() => client.getChannels().length === 0, "left after the grace period");
  });
});

describe("chat sync logic", () => {
  /** An in-memory chat whose fetch can be made to fail. */
  function fakeChat(count: number) {
    const messages = Array.from({ length: count }, (_, i) => ({ id: `m${i + 1}`, seq: i + 1 }));
    const state = { failNext: 0 };
    const fetchAfter = async (after: number) => {
      await sleep(5);
      if (state.failNext > 0) {
        state.failNext -= 1;
        throw new Error("network down");
      }
      const items = messages.filter((m) => m.seq > after).slice(0, 3);
      return { items, hasNewer: (items.at(-1)?.seq ?? after) < messages.length };
    };
    return { messages, state, fetchAfter };
  }

  it("holds a message that arrives ahead of a gap until the gap is filled", async () => {
    const chat = fakeChat(6);
    const received: SyncedMessage[] = [];
    const sync = createChatSync({
      chatId: "c",
      initialSeq: 2,
      fetchAfter: chat.fetchAfter,
      onMessages: (m) => received.push(...m),
    });
    sync.ingest([chat.messages[5]!]);
    expect(received).toEqual([]);
    await sync.idle();
    expect(ids(received)).toEqual(["m3", "m4", "m5", "m6"]);
  });

  it("retries a failed fetch and ignores seqs it already has", async () => {
    const chat = fakeChat(4);
    chat.state.failNext = 1;
    const errors: unknown[] = [];
    const received: SyncedMessage[] = [];
    const sync = createChatSync({
      chatId: "c",
      fetchAfter: chat.fetchAfter,
      onMessages: (m) => received.push(...m),
      onError: (e) => errors.push(e),
      retryDelaysMs: [10],
    });
    sync.handleSubscribed();
    await until(() => received.length === 4, "after the retry");
    await sync.idle();
    expect(errors).toHaveLength(1);
    sync.noteSeq(3);
    await sync.idle();
    expect(ids(received)).toEqual(["m1", "m2", "m3", "m4"]);
    sync.dispose();
  });

  it("reads seqs only from the events that carry the chat's position", () => {
    expect(seqFromEvent("message.created", { seq: 4 })).toBe(4);
    expect(seqFromEvent("member.changed", { seq: 5 })).toBe(5);
    expect(seqFromEvent("chat.updated", { seq: 6, change: "deleted" })).toBeNull();
    expect(seqFromEvent("reaction.changed", { seq: 7 })).toBeNull();
    expect(seqFromEvent("message.created", { seq: "8" })).toBeNull();
  });

  it("keeps the timeline's and each thread's events apart", () => {
    const reply = { seq: 9, threadRootId: "root" };
    expect(seqFromEvent("message.created", reply)).toBeNull();
    expect(seqFromEvent("message.created", reply, "root")).toBe(9);
    expect(seqFromEvent("message.created", reply, "other")).toBeNull();
    expect(seqFromEvent("message.created", { seq: 10, threadRootId: null }, "root")).toBeNull();
    expect(seqFromEvent("member.changed", { seq: 11 }, "root")).toBeNull();
  });

  it("moves past the seqs of other scopes once a page reaches the chat's last seq", async () => {
    // The scope holds seqs 1 and 4 of the chat's 5; 2, 3 and 5 are replies in threads.
    const scope = [
      { id: "m1", seq: 1 },
      { id: "m4", seq: 4 },
    ];
    let fetches = 0;
    const received: SyncedMessage[] = [];
    const sync = createChatSync({
      chatId: "c",
      fetchAfter: (after) => {
        fetches += 1;
        return Promise.resolve({
          items: scope.filter((m) => m.seq > after),
          hasNewer: false,
          lastSeq: 5,
        });
      },
      onMessages: (m) => received.push(...m),
    });
    sync.handleSubscribed();
    await sync.idle();
    expect(ids(received)).toEqual(["m1", "m4"]);
    expect(sync.lastSeq).toBe(5);
    // An event for a seq already passed asks for nothing.
    sync.noteSeq(5);
    await sync.idle();
    expect(fetches).toBe(1);
    // One's own message right after is handed over without waiting for seqs it will never see.
    sync.ingest([{ id: "m6", seq: 6 }]);
    await sync.idle();
    expect(ids(received)).toEqual(["m1", "m4", "m6"]);
    expect(fetches).toBe(1);
    sync.dispose();
  });
});
