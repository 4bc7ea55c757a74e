import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MAX_PINNED_PER_CHAT } from "@/contracts/pins";
import { withRls } from "@/db/rls";
import { queryRows } from "@/db/rows";
import type { DomainEvent } from "@/server/realtime/events";
import { subscribe } from "@/server/realtime/publisher";
import { useTestDatabase } from "@/test/database";
import { codeOf } from "@/test/errors";
import { callerFor, signUp, type TestUser, actorOf } from "@/test/users";

useTestDatabase();

describe("pins", () => {
  let alice: TestUser;
  let bob: TestUser;
  let carol: TestUser;
  let mallory: TestUser;
  let directId: string;
  let groupId: string;
  const seen: DomainEvent[] = [];
  const stop = subscribe((event) => seen.push(event));
  afterAll(stop);

  beforeAll(async () => {
    alice = await signUp("Alice");
    bob = await signUp("Bob");
    carol = await signUp("Carol");
    mallory = await signUp("Mallory");
    const asAlice = await callerFor(alice);
    directId = (await asAlice.chats.createDirect({ userId: bob.id })).id;
    groupId = (
      await asAlice.chats.createGroup({ name: "Launch plan", memberIds: [bob.id, carol.id] })
    ).id;
    await asAlice.chats.setRole({ chatId: groupId, userId: bob.id, role: "admin" });
  });

  it("pins a message for every member, with an event line and live events", async () => {
    const asAlice = await callerFor(alice);
    const message = await asAlice.messages.send({ chatId: groupId, content: "**Ship** Friday" });
    seen.length = 0;
    expect(await (await callerFor(carol)).pins.add({ messageId: message.id })).toEqual({
      messageId: message.id,
      pinned: true,
    });

    const pins = await (await callerFor(bob)).pins.list({ chatId: groupId });
    expect(pins).toMatchObject([
      {
        messageId: message.id,
        seq: message.seq,
        preview: "Ship Friday",
        sender: { id: alice.id, name: "Alice" },
        pinnedBy: { id: carol.id, name: "Carol" },
      },
    ]);

    // Every member's view of the message says it is pinned, and by whom.
    const page = await asAlice.messages.list({ chatId: groupId });
    const pinnedView = page.messages.find((m) => m.id === message.id)!;
    expect(pinnedView.pinned).toMatchObject({ by: "Carol" });
    const line = page.messages.at(-1)!;
    expect(line).toMatchObject({
      type: "system",
      sender: { id: carol.id },
      metadata: { kind: "message_pinned", messageId: message.id, seq: message.seq },
    });
    expect(seen).toEqual([
      expect.objectContaining({ type: "message.created", chatId: groupId, messageId: line.id }),
      {
        type: "pin.changed",
        chatId: groupId,
        messageId: message.id,
        seq: message.seq,
        action: "pinned",
      },
    ]);

    // Pinning it again changes nothing and says nothing.
    seen.length = 0;
    await (await callerFor(bob)).pins.add({ messageId: message.id });
    expect(seen).toEqual([]);
    expect((await asAlice.messages.list({ chatId: groupId })).lastSeq).toBe(line.seq);
  });

  it("lets whoever pinned, and a group's owner and admins, unpin; not other members", async () => {
    const asAlice = await callerFor(alice);
    const asCarol = await callerFor(carol);
    const first = await asAlice.messages.send({ chatId: groupId, content: "first" });
    const second = await asAlice.messages.send({ chatId: groupId, content: "second" });
    await asAlice.pins.add({ messageId: first.id });
    await asCarol.pins.add({ messageId: second.id });

    expect(await codeOf(asCarol.pins.remove({ messageId: first.id }))).toBe("FORBIDDEN");
    const carolsView = await asCarol.pins.list({ chatId: groupId });
    expect(carolsView.find((p) => p.messageId === first.id)?.canUnpin).toBe(false);
    expect(carolsView.find((p) => p.messageId === second.id)?.canUnpin).toBe(true);

    seen.length = 0;
    await asCarol.pins.remove({ messageId: second.id });
    expect(seen).toEqual([
      {
        type: "pin.changed",
        chatId: groupId,
        messageId: second.id,
        seq: second.seq,
        action: "unpinned",
      },
    ]);
    // The admin unpins the owner's pin.
    await (await callerFor(bob)).pins.remove({ messageId: first.id });
    const left = (await asAlice.pins.list({ chatId: groupId })).map((p) => p.messageId);
    expect(left).not.toContain(first.id);
    expect(left).not.toContain(second.id);
    // Unpinning what is not pinned changes nothing.
    expect(await asCarol.pins.remove({ messageId: second.id })).toEqual({
      messageId: second.id,
      pinned: false,
    });
  });

  it("in a direct chat either person unpins", async () => {
    const message = await (
      await callerFor(alice)
    ).messages.send({ chatId: directId, content: "plan" });
    await (await callerFor(alice)).pins.add({ messageId: message.id });
    await (await callerFor(bob)).pins.remove({ messageId: message.id });
    expect(await (await callerFor(alice)).pins.list({ chatId: directId })).toEqual([]);
  });

  it("is NOT_FOUND outside one's chats, and refuses deleted messages and event lines", async () => {
    const asAlice = await callerFor(alice);
    const asMallory = await callerFor(mallory);
    const message = await asAlice.messages.send({ chatId: groupId, content: "secret" });
    expect(await codeOf(asMallory.pins.add({ messageId: message.id }))).toBe("NOT_FOUND");
    expect(await codeOf(asMallory.pins.list({ chatId: groupId }))).toBe("NOT_FOUND");
    await asAlice.pins.add({ messageId: message.id });
    expect(await codeOf(asMallory.pins.remove({ messageId: message.id }))).toBe("NOT_FOUND");

    const line = (await asAlice.messages.list({ chatId: groupId })).messages.at(-1)!;
    expect(line.type).toBe("system");
    expect(await codeOf(asAlice.pins.add({ messageId: line.id }))).toBe("BAD_REQUEST");

    // Deleting a pinned message takes its pin with it.
    await asAlice.messages.delete({ messageId: message.id });
    const pins = await asAlice.pins.list({ chatId: groupId });
    expect(pins.map((p) => p.messageId)).not.toContain(message.id);
    expect(await codeOf(asAlice.pins.add({ messageId: message.id }))).toBe("BAD_REQUEST");
  });

  it(`holds a chat to ${MAX_PINNED_PER_CHAT} pins`, async () => {
    const asAlice = await callerFor(alice);
    const { id: chatId } = await asAlice.chats.createGroup({ name: "Pinboard", memberIds: [] });
    const unpinnedId = await withRls(actorOf(alice), async (tx) => {
      await tx.execute(sql`insert into public.messages ("chatId", "senderId", seq, content)
        select ${chatId}::uuid, ${alice.id}::uuid, 0, 'note ' || n
        from generate_series(1, ${MAX_PINNED_PER_CHAT + 1}) n`);
      await tx.execute(sql`insert into public.message_pins ("messageId")
        select id from public.messages
        where "chatId" = ${chatId}::uuid and type = 'text' order by seq limit ${MAX_PINNED_PER_CHAT}`);
      const [last] = await queryRows<{ id: string }>(
        tx,
        sql`select id from public.messages where "chatId" = ${chatId}::uuid
            and content = ${`note ${MAX_PINNED_PER_CHAT + 1}`}`,
      );
      return last!.id;
    });
    expect(await codeOf(asAlice.pins.add({ messageId: unpinnedId }))).toBe("UNPROCESSABLE_CONTENT");
    expect(await asAlice.pins.list({ chatId })).toHaveLength(MAX_PINNED_PER_CHAT);
  });
});

describe("saved messages", () => {
  let alice: TestUser;
  let bob: TestUser;
  let mallory: TestUser;
  let groupId: string;
  let directId: string;

  beforeAll(async () => {
    alice = await signUp("Ada");
    bob = await signUp("Bea");
    mallory = await signUp("Mel");
    const asAlice = await callerFor(alice);
    groupId = (await asAlice.chats.createGroup({ name: "Reading", memberIds: [bob.id] })).id;
    directId = (await asAlice.chats.createDirect({ userId: bob.id })).id;
  });

  it("keeps a person's saved messages to themselves, newest first, a page at a time", async () => {
    const asBob = await callerFor(bob);
    const asAlice = await callerFor(alice);
    const inGroup = await asAlice.messages.send({ chatId: groupId, content: "read _this_" });
    const inDirect = await asAlice.messages.send({ chatId: directId, content: "and this" });
    const events: DomainEvent[] = [];
    const stopEvents = subscribe((event) => events.push(event));
    await asBob.saved.add({ messageId: inGroup.id });
    await asBob.saved.add({ messageId: inDirect.id });
    await asBob.saved.add({ messageId: inGroup.id });
    stopEvents();
    // Bob's other tabs hear of each change once; saving it again changes nothing.
    expect(events.filter((e) => e.type === "saved.changed")).toEqual([
      {
        type: "saved.changed",
        userId: bob.id,
        chatId: groupId,
        messageId: inGroup.id,
        saved: true,
      },
      {
        type: "saved.changed",
        userId: bob.id,
        chatId: directId,
        messageId: inDirect.id,
        saved: true,
      },
    ]);

    const first = await asBob.saved.list({ limit: 1 });
    expect(first.items).toMatchObject([
      { messageId: inDirect.id, chatId: directId, chatTitle: "Ada", preview: "and this" },
    ]);
    const second = await asBob.saved.list({ limit: 1, cursor: first.nextCursor! });
    expect(second.items).toMatchObject([
      { messageId: inGroup.id, chatTitle: "Reading", preview: "read this" },
    ]);
    expect(second.nextCursor).toBeNull();

    // Saved for Bea, not for Ada.
    const bobsPage = await asBob.messages.list({ chatId: groupId });
    expect(bobsPage.messages.find((m) => m.id === inGroup.id)?.saved).toBe(true);
    const alicesPage = await asAlice.messages.list({ chatId: groupId });
    expect(alicesPage.messages.find((m) => m.id === inGroup.id)?.saved).toBe(false);
    expect((await asAlice.saved.list({})).items).toEqual([]);

    await asBob.saved.remove({ messageId: inDirect.id });
    expect((await asBob.saved.list({})).items.map((i) => i.messageId)).toEqual([inGroup.id]);
  });

  it("is NOT_FOUND outside one's chats and goes when its message or its chat does", async () => {
    const asAlice = await callerFor(alice);
    const asBob = await callerFor(bob);
    const asMallory = await callerFor(mallory);
    const kept = await asAlice.messages.send({ chatId: groupId, content: "kept" });
    const gone = await asAlice.messages.send({ chatId: groupId, content: "gone" });
    expect(await codeOf(asMallory.saved.add({ messageId: kept.id }))).toBe("NOT_FOUND");
    expect(await codeOf(asMallory.saved.remove({ messageId: kept.id }))).toBe("NOT_FOUND");

    await asBob.saved.add({ messageId: kept.id });
    await asBob.saved.add({ messageId: gone.id });
    await asAlice.messages.delete({ messageId: gone.id });
    expect(await codeOf(asBob.saved.add({ messageId: gone.id }))).toBe("BAD_REQUEST");
    let ids = (await asBob.saved.list({})).items.map((i) => i.messageId);
    expect(ids).toContain(kept.id);
    expect(ids).not.toContain(gone.id);

    // Leaving the group takes its messages out of Bea's saved ones for good.
    await asBob.chats.leave({ chatId: groupId });
    ids = (await asBob.saved.list({})).items.map((i) => i.messageId);
    expect(ids).not.toContain(kept.id);
    await asAlice.chats.addMembers({ chatId: groupId, userIds: [bob.id] });
    ids = (await asBob.saved.list({})).items.map((i) => i.messageId);
    expect(ids).not.toContain(kept.id);
  });
});
