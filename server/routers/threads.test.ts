import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DomainEvent } from "@/server/realtime/events";
import { broadcastsFor } from "@/server/realtime/relay";
import { subscribe } from "@/server/realtime/publisher";
import { useTestDatabase } from "@/test/database";
import { codeOf } from "@/test/errors";
import { callerFor, signUp, type TestUser } from "@/test/users";

useTestDatabase();

describe("threads", () => {
  let alice: TestUser;
  let bob: TestUser;
  let carol: TestUser;
  let mallory: TestUser;
  let groupId: string;
  const seen: DomainEvent[] = [];
  const stop = subscribe((event) => seen.push(event));
  afterAll(stop);

  beforeAll(async () => {
    alice = await signUp("Alice");
    bob = await signUp("Bob");
    carol = await signUp("Carol");
    mallory = await signUp("Mallory");
    groupId = (
      await (
        await callerFor(alice)
      ).chats.createGroup({ name: "Launch plan", memberIds: [bob.id, carol.id] })
    ).id;
  });

  it("keeps replies out of the timeline, its unread counts and its last message", async () => {
    const [asAlice, asBob, asCarol] = await Promise.all([
      callerFor(alice),
      callerFor(bob),
      callerFor(carol),
    ]);
    const root = await asAlice.messages.send({ chatId: groupId, content: "Which venue?" });
    await asCarol.chats.markRead({ chatId: groupId, seq: root.seq });
    const carolsChat = async () =>
      (await asCarol.chats.list()).items.find((c) => c.id === groupId)!;
    const unreadBefore = (await carolsChat()).unreadCount;
    seen.length = 0;

    const reply = await asBob.messages.send({
      chatId: groupId,
      content: "The **old** mill",
      threadRootId: root.id,
    });
    expect(reply).toMatchObject({ threadRootId: root.id, seq: root.seq + 1, status: null });

    // The timeline has the root, with its thread's summary, and not the reply.
    const page = await asCarol.messages.list({ chatId: groupId });
    expect(page.messages.map((m) => m.id)).not.toContain(reply.id);
    expect(page.messages.at(-1)).toMatchObject({
      id: root.id,
      thread: {
        replyCount: 1,
        participants: [{ id: bob.id, name: "Bob" }],
        following: false,
        unread: false,
      },
    });
    // The latest page is the latest: no newer messages to page to, although a reply is newer.
    expect(page).toMatchObject({ hasNewer: false, lastSeq: reply.seq, inThread: null });
    // Gap-fill after the root finds nothing for the timeline.
    const after = await asCarol.messages.list({ chatId: groupId, after: root.seq });
    expect(after).toMatchObject({ messages: [], hasNewer: false });

    // Nobody's unread count moves, and the chat list still shows the root as the last word.
    const listed = await carolsChat();
    expect(unreadBefore).toBe(0);
    expect(listed).toMatchObject({
      unreadCount: 0,
      unreadThreads: 0,
      lastMessage: { id: root.id },
    });
    // Deleting the reply does not take a message off anybody's count either.
    await asBob.messages.delete({ messageId: reply.id });
    await asAlice.messages.send({ chatId: groupId, content: "One more" });
    expect((await carolsChat()).unreadCount).toBe(1);
    // The sender's read pointer stays in the timeline.
    expect((await asBob.chats.get({ chatId: groupId })).lastReadSeq).toBeLessThan(reply.seq);

    // The reply is announced on the chat's topic as a reply, and reaches the chat lists of
    // the thread's followers only: Bob (who replied) and Alice (who started it).
    const created = seen.find((e) => e.type === "message.created");
    expect(created).toMatchObject({ threadRootId: root.id, messageId: reply.id });
    expect(created?.type === "message.created" && [...created.memberIds].sort()).toEqual(
      [alice.id, bob.id].sort(),
    );
    expect(broadcastsFor(created!)).toContainEqual({
      topic: `chat:${groupId}`,
      event: "message.created",
      payload: {
        chatId: groupId,
        messageId: reply.id,
        seq: reply.seq,
        senderId: bob.id,
        threadRootId: root.id,
      },
    });
  });

  it("pages a thread, counts it unread for followers, and marks it read", async () => {
    const [asAlice, asBob, asCarol] = await Promise.all([
      callerFor(alice),
      callerFor(bob),
      callerFor(carol),
    ]);
    const root = await asAlice.messages.send({ chatId: groupId, content: "Budget?" });
    const replies = [];
    for (const content of ["Ten", "Twelve", "Fifteen"]) {
      replies.push(await asBob.messages.send({ chatId: groupId, content, threadRootId: root.id }));
    }
    const thread = await asCarol.threads.get({ rootId: root.id });
    expect(thread).toMatchObject({
      root: { id: root.id, thread: { replyCount: 3 } },
      following: false,
      hasOlder: false,
      hasNewer: false,
    });
    expect(thread.messages.map((m) => m.content)).toEqual(["Ten", "Twelve", "Fifteen"]);
    const older = await asCarol.threads.get({ rootId: root.id, before: replies[2]!.seq, limit: 1 });
    expect(older).toMatchObject({ hasOlder: true, hasNewer: true });
    expect(older.messages.map((m) => m.id)).toEqual([replies[1]!.id]);

    // Alice started it, so she follows it; Bob's replies are unread for her.
    const aliceList = (await asAlice.chats.list()).items.find((c) => c.id === groupId)!;
    expect(aliceList.unreadThreads).toBeGreaterThanOrEqual(1);
    const rootForAlice = (await asAlice.messages.get({ messageId: root.id })).thread;
    expect(rootForAlice).toMatchObject({ following: true, unread: true });
    expect(await asAlice.threads.markRead({ rootId: root.id, seq: replies[2]!.seq })).toEqual({
      rootId: root.id,
      lastReadSeq: replies[2]!.seq,
    });
    expect((await asAlice.messages.get({ messageId: root.id })).thread).toMatchObject({
      unread: false,
    });
    // Read pointers only move forward, and never past the thread's last reply.
    await asAlice.threads.markRead({ rootId: root.id, seq: replies[0]!.seq });
    expect((await asAlice.messages.get({ messageId: root.id })).thread?.unread).toBe(false);
    expect(
      await codeOf(asAlice.threads.markRead({ rootId: root.id, seq: replies[2]!.seq + 100 })),
    ).toBe("BAD_REQUEST");

    // Carol follows from now on: what is there is not unread, the next reply is.
    expect(await asCarol.threads.follow({ rootId: root.id, following: true })).toEqual({
      rootId: root.id,
      following: true,
    });
    expect((await asCarol.messages.get({ messageId: root.id })).thread?.unread).toBe(false);
    await asBob.messages.send({ chatId: groupId, content: "Twenty", threadRootId: root.id });
    expect((await asCarol.messages.get({ messageId: root.id })).thread?.unread).toBe(true);
    // …and stops: nothing counts any more, even unread replies.
    await asCarol.threads.follow({ rootId: root.id, following: false });
    expect((await asCarol.messages.get({ messageId: root.id })).thread).toMatchObject({
      following: false,
      unread: false,
    });

    const list = await asCarol.threads.list({ chatId: groupId });
    expect(list.items[0]).toMatchObject({
      rootId: root.id,
      preview: "Budget?",
      replyCount: 4,
      participants: [{ id: bob.id }],
      following: false,
    });
    const paged = await asCarol.threads.list({ chatId: groupId, limit: 1 });
    expect(paged.nextCursor).not.toBeNull();
    const next = await asCarol.threads.list({
      chatId: groupId,
      limit: 1,
      cursor: paged.nextCursor!,
    });
    expect(next.items[0]?.rootId).not.toBe(root.id);
  });

  it("opens a link to a reply as the timeline around its root, naming the reply", async () => {
    const [asAlice, asBob] = await Promise.all([callerFor(alice), callerFor(bob)]);
    const root = await asAlice.messages.send({ chatId: groupId, content: "Logo ideas" });
    const reply = await asBob.messages.send({
      chatId: groupId,
      content: "A fox",
      threadRootId: root.id,
    });
    const page = await asAlice.messages.list({ chatId: groupId, around: reply.seq });
    expect(page.inThread).toEqual({ rootId: root.id, rootSeq: root.seq, seq: reply.seq });
    expect(page.messages.map((m) => m.id)).toContain(root.id);
    expect(page.messages.map((m) => m.id)).not.toContain(reply.id);
    const plain = await asAlice.messages.list({ chatId: groupId, around: root.seq });
    expect(plain.inThread).toBeNull();
  });

  it("refuses threads that cannot be, with a clear 4xx", async () => {
    const [asAlice, asBob, asMallory] = await Promise.all([
      callerFor(alice),
      callerFor(bob),
      callerFor(mallory),
    ]);
    const root = await asAlice.messages.send({ chatId: groupId, content: "Root" });
    const reply = await asBob.messages.send({
      chatId: groupId,
      content: "Reply",
      threadRootId: root.id,
    });
    // No thread of a reply, no thread in another chat, no thread under a chat event.
    expect(
      await codeOf(
        asAlice.messages.send({ chatId: groupId, content: "x", threadRootId: reply.id }),
      ),
    ).toBe("BAD_REQUEST");
    const other = await asAlice.chats.createDirect({ userId: bob.id });
    expect(
      await codeOf(
        asAlice.messages.send({ chatId: other.id, content: "x", threadRootId: root.id }),
      ),
    ).toBe("BAD_REQUEST");
    await asAlice.chats.update({ chatId: groupId, name: "Launch plan!" });
    const event = (await asAlice.messages.list({ chatId: groupId })).messages.findLast(
      (m) => m.type === "system",
    )!;
    expect(
      await codeOf(
        asAlice.messages.send({ chatId: groupId, content: "x", threadRootId: event.id }),
      ),
    ).toBe("BAD_REQUEST");
    expect(await codeOf(asAlice.threads.get({ rootId: reply.id }))).toBe("BAD_REQUEST");
    // A deleted message starts no thread; one with replies keeps taking them.
    const lonely = await asAlice.messages.send({ chatId: groupId, content: "Lonely" });
    await asAlice.messages.delete({ messageId: lonely.id });
    expect(
      await codeOf(asBob.messages.send({ chatId: groupId, content: "x", threadRootId: lonely.id })),
    ).toBe("BAD_REQUEST");
    await asAlice.messages.delete({ messageId: root.id });
    await asBob.messages.send({ chatId: groupId, content: "Still here", threadRootId: root.id });
    // A reply is no place to mark the chat unread from.
    expect(await codeOf(asAlice.chats.markUnread({ chatId: groupId, seq: reply.seq }))).toBe(
      "BAD_REQUEST",
    );

    // Outside the chat, a thread is not found, whatever one asks.
    expect(await codeOf(asMallory.threads.get({ rootId: root.id }))).toBe("NOT_FOUND");
    expect(await codeOf(asMallory.threads.list({ chatId: groupId }))).toBe("NOT_FOUND");
    expect(await codeOf(asMallory.threads.follow({ rootId: root.id, following: true }))).toBe(
      "NOT_FOUND",
    );
    expect(await codeOf(asMallory.threads.markRead({ rootId: root.id, seq: reply.seq }))).toBe(
      "NOT_FOUND",
    );
    expect(
      await codeOf(
        asMallory.messages.send({ chatId: groupId, content: "x", threadRootId: root.id }),
      ),
    ).toBe("NOT_FOUND");
  });

  it("a retry of a reply returns it once; the same key for a timeline message is refused", async () => {
    const asAlice = await callerFor(alice);
    const root = await asAlice.messages.send({ chatId: groupId, content: "Retry" });
    const send = { chatId: groupId, content: "Once", threadRootId: root.id, clientKey: "k-thr-1" };
    const first = await asAlice.messages.send(send);
    expect((await asAlice.messages.send(send)).id).toBe(first.id);
    expect(await codeOf(asAlice.messages.send({ ...send, threadRootId: undefined }))).toBe(
      "UNPROCESSABLE_CONTENT",
    );
    expect((await asAlice.messages.get({ messageId: root.id })).thread?.replyCount).toBe(1);
  });
});
