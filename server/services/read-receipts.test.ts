import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { getMyChat } from "@/server/http/api-v1/routes";
import type { DomainEvent } from "@/server/realtime/events";
import {
  PostgresChangeDispatcher,
  type ChangeData,
  type ChangeTarget,
} from "@/server/realtime/postgres-changes";
import { subscribe } from "@/server/realtime/publisher";
import { broadcastsFor } from "@/server/realtime/relay";
import { useTestDatabase } from "@/test/database";
import { callerFor, signUp, type TestUser, testWorkspace } from "@/test/users";

useTestDatabase();

/** Read receipts are two-way: whoever turns them off neither shows nor sees read pointers. */
describe("read-receipt privacy", () => {
  let alice: TestUser;
  let bob: TestUser;
  let carol: TestUser;
  let directId: string;
  let groupId: string;
  const events: DomainEvent[] = [];
  let stop: () => void = () => {};

  beforeAll(async () => {
    alice = await signUp("Alice");
    bob = await signUp("Bob");
    carol = await signUp("Carol");
    const asAlice = await callerFor(alice);
    directId = (await asAlice.chats.createDirect({ userId: bob.id })).id;
    groupId = (await asAlice.chats.createGroup({ name: "Trio", memberIds: [bob.id, carol.id] })).id;
  });

  afterEach(async () => {
    stop();
    events.length = 0;
    for (const who of [alice, bob, carol]) {
      await (await callerFor(who)).preferences.update({ readReceipts: true });
    }
  });

  const capture = () => {
    stop = subscribe((event) => events.push(event));
  };
  const setReceipts = async (who: TestUser, readReceipts: boolean) =>
    (await callerFor(who)).preferences.update({ readReceipts });
  const send = async (who: TestUser, chatId: string, content: string) =>
    (await callerFor(who)).messages.send({ chatId, content });
  const read = async (who: TestUser, chatId: string, seq: number) => {
    const api = await callerFor(who);
    await api.chats.markDelivered({ chatId, seq });
    return api.chats.markRead({ chatId, seq });
  };
  const statusOf = async (who: TestUser, chatId: string, messageId: string) => {
    const page = await (await callerFor(who)).messages.list({ chatId });
    return page.messages.find((m) => m.id === messageId);
  };
  const memberAs = async (viewer: TestUser, chatId: string, member: TestUser) => {
    const chat = await (await callerFor(viewer)).chats.get({ chatId });
    return chat.members.find((m) => m.userId === member.id);
  };

  it("shows read pointers when both share them (the default)", async () => {
    const message = await send(alice, directId, "shared");
    await read(bob, directId, message.seq);
    expect((await statusOf(alice, directId, message.id))?.status).toBe("read");
    const readers = await (await callerFor(alice)).messages.readers({ messageId: message.id });
    expect(readers.map((r) => r.userId)).toEqual([bob.id]);
    expect(await memberAs(alice, directId, bob)).toMatchObject({ lastReadSeq: message.seq });
    expect((await memberAs(alice, directId, bob))?.lastReadAt).toBeInstanceOf(Date);
  });

  it("hides the read pointer of a reader who turned receipts off, keeping delivered", async () => {
    await setReceipts(bob, false);
    const message = await send(alice, directId, "private reader");
    capture();
    const pointer = await read(bob, directId, message.seq);
    expect(pointer.lastReadSeq).toBe(message.seq);

    // The sender sees "delivered", no reader, no read pointer: tRPC and REST v1 alike.
    const seen = await statusOf(alice, directId, message.id);
    expect(seen?.status).toBe("delivered");
    expect(await (await callerFor(alice)).messages.readers({ messageId: message.id })).toEqual([]);
    expect(await memberAs(alice, directId, bob)).toMatchObject({
      lastReadSeq: 0,
      lastReadAt: null,
      lastDeliveredSeq: message.seq,
    });
    const key = (
      await (await callerFor(alice)).apiKeys.create({ name: "t", scopes: ["chats:read"] })
    ).secret;
    const response = await getMyChat.handle(
      new Request(`http://localhost/api/v1/chats/${directId}`, {
        headers: { authorization: `Bearer ${key}`, "x-forwarded-for": "198.51.100.7" },
      }),
      { chatId: directId },
    );
    expect(response.status).toBe(200);
    const body = (await response.json()) as { members: { userId: string; lastReadSeq: number }[] };
    expect(body.members.find((m) => m.userId === bob.id)?.lastReadSeq).toBe(0);

    // Bob still has his own pointer: unread counts and his own member row are right.
    expect(await memberAs(bob, directId, bob)).toMatchObject({ lastReadSeq: message.seq });
    const list = await (await callerFor(bob)).chats.list({});
    expect(list.items.find((c) => c.id === directId)?.unreadCount).toBe(0);

    // Realtime: the read move is not announced on the chat; the delivered move carries 0.
    const outgoing = events.flatMap(broadcastsFor);
    const onChat = outgoing.filter((o) => o.topic === `chat:${directId}`);
    expect(onChat).toHaveLength(1);
    expect(onChat[0]?.payload).toMatchObject({ userId: bob.id, lastReadSeq: 0 });
    expect(outgoing).toContainEqual({
      topic: `user:${bob.id}`,
      event: "chat.read",
      payload: { chatId: directId, lastReadSeq: message.seq },
    });
  });

  it("hides everyone's read pointers from a member who turned receipts off", async () => {
    await setReceipts(alice, false);
    const message = await send(alice, directId, "private sender");
    await read(bob, directId, message.seq);
    expect((await statusOf(alice, directId, message.id))?.status).toBe("delivered");
    expect(await (await callerFor(alice)).messages.readers({ messageId: message.id })).toEqual([]);
    expect(await memberAs(alice, directId, bob)).toMatchObject({
      lastReadSeq: 0,
      lastDeliveredSeq: message.seq,
    });
    // Turning receipts back on shows what was read meanwhile.
    await setReceipts(alice, true);
    expect((await statusOf(alice, directId, message.id))?.status).toBe("read");
  });

  it("applies the rule per pair in a group of three", async () => {
    await setReceipts(alice, false);
    const message = await send(carol, groupId, "who read this?");
    capture();
    await read(bob, groupId, message.seq);
    await read(alice, groupId, message.seq);

    // Carol sees Bob (both share) but not Alice (who does not): delivered, one reader.
    const seen = await statusOf(carol, groupId, message.id);
    expect(seen).toMatchObject({ status: "delivered", readBy: 1 });
    const readers = await (await callerFor(carol)).messages.readers({ messageId: message.id });
    expect(readers.map((r) => r.userId)).toEqual([bob.id]);
    expect(await memberAs(carol, groupId, alice)).toMatchObject({ lastReadSeq: 0 });
    expect(await memberAs(bob, groupId, alice)).toMatchObject({ lastReadSeq: 0 });
    expect(await memberAs(bob, groupId, carol)).toMatchObject({ lastDeliveredSeq: message.seq });

    // Alice sees nobody's read pointer, her own still works.
    expect(await memberAs(alice, groupId, bob)).toMatchObject({ lastReadSeq: 0 });
    expect(await memberAs(alice, groupId, carol)).toMatchObject({ lastReadSeq: 0 });
    expect(await memberAs(alice, groupId, alice)).toMatchObject({ lastReadSeq: message.seq });

    // The chat topic reaches Alice too: no read pointer goes out on it while she hides hers.
    const onChat = events.flatMap(broadcastsFor).filter((o) => o.topic === `chat:${groupId}`);
    expect(onChat.length).toBeGreaterThan(0);
    for (const o of onChat) expect(o.payload).toMatchObject({ lastReadSeq: 0 });
  });

  it("sends read pointers on the chat topic when every member shares them", async () => {
    const message = await send(carol, groupId, "all public");
    capture();
    await read(bob, groupId, message.seq);
    const reads = events
      .flatMap(broadcastsFor)
      .filter((o) => o.topic === `chat:${groupId}` && o.event === "member.read");
    expect(reads.map((o) => o.payload)).toContainEqual({
      chatId: groupId,
      userId: bob.id,
      lastReadSeq: message.seq,
      lastDeliveredSeq: message.seq,
    });
  });

  it("masks read pointers in postgres_changes rows the same way", async () => {
    const message = await send(alice, groupId, "changes");
    await read(bob, groupId, message.seq);
    const received = new Map<string, ChangeData>();
    const team = await testWorkspace();
    const targetFor = (who: TestUser): ChangeTarget => ({
      userId: who.id,
      organizationId: team,
      changeSubscriptions: [{ id: 1, event: "*", table: "chat_members", filter: null }],
      deliverChange: (_ids, data) => received.set(who.id, data),
    });
    const dispatcher = new PostgresChangeDispatcher(
      () => [targetFor(alice), targetFor(carol)],
      () => Promise.resolve(true),
    );
    await setReceipts(carol, false);
    await dispatcher.dispatch({
      t: "chat_members",
      o: "UPDATE",
      k: { chatId: groupId, userId: bob.id },
      c: groupId,
      ts: new Date().toISOString(),
    });
    const seen = received.get(alice.id)?.record;
    expect(seen).toMatchObject({ lastReadSeq: message.seq });
    expect(Number(seen?.lastReadOrdinal)).toBeGreaterThan(0);
    expect(received.get(carol.id)?.record).toMatchObject({
      lastReadSeq: 0,
      lastReadAt: null,
      lastDeliveredSeq: message.seq,
    });
    // The ordinal at the read pointer tells as much as the pointer itself.
    expect(Number(received.get(carol.id)?.record?.lastReadOrdinal)).toBe(0);
  });
});
