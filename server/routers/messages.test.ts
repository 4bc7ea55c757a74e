import { eq, sql } from "drizzle-orm";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { messageIdFor } from "@/contracts/message-ids";
import { MESSAGE_MAX_EDITS } from "@/contracts/messages";
import { withRls } from "@/db/rls";
import { user } from "@/db/schema";
import type { DomainEvent } from "@/server/realtime/events";
import { subscribe } from "@/server/realtime/publisher";
import { sendMessage } from "@/server/services/messages";
import { useTestDatabase } from "@/test/database";
import { codeOf } from "@/test/errors";
import { callerFor, signUp, type TestUser, actorOf } from "@/test/users";

const database = useTestDatabase();

describe("messages", () => {
  let alice: TestUser;
  let bob: TestUser;
  let carol: TestUser;
  let mallory: TestUser;
  let directId: string;
  let groupId: string;

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

  it("sends and lists messages with sender and reply preview", async () => {
    const asAlice = await callerFor(alice);
    const first = await asAlice.messages.send({ chatId: directId, content: "Hello Bob" });
    expect(first).toMatchObject({
      content: "Hello Bob",
      sender: { id: alice.id, name: "Alice" },
      status: "sent",
    });
    const reply = await (
      await callerFor(bob)
    ).messages.send({
      chatId: directId,
      content: "Hi!",
      replyToId: first.id,
    });
    expect(reply.replyTo).toMatchObject({
      id: first.id,
      seq: first.seq,
      senderName: "Alice",
      preview: "Hello Bob",
    });
    const page = await asAlice.messages.list({ chatId: directId });
    expect(page.messages.map((m) => m.content)).toEqual(["Hello Bob", "Hi!"]);
    expect(page).toMatchObject({ hasOlder: false, hasNewer: false, lastSeq: reply.seq });
  });

  it("refuses a reply to a message of another chat, and empty or over-long messages", async () => {
    const asAlice = await callerFor(alice);
    const elsewhere = await asAlice.messages.send({ chatId: groupId, content: "group only" });
    expect(
      await codeOf(
        asAlice.messages.send({ chatId: directId, content: "x", replyToId: elsewhere.id }),
      ),
    ).toBe("BAD_REQUEST");
    expect(await codeOf(asAlice.messages.send({ chatId: directId, content: "   " }))).toBe(
      "BAD_REQUEST",
    );
    expect(
      await codeOf(asAlice.messages.send({ chatId: directId, content: "x".repeat(10_001) })),
    ).toBe("BAD_REQUEST");
    expect(
      await codeOf(
        asAlice.messages.send({
          chatId: directId,
          content: "x",
          attachmentIds: [crypto.randomUUID()],
        }),
      ),
    ).toBe("BAD_REQUEST");
  });

  it("gives 20 concurrent sends 20 distinct consecutive seqs", async () => {
    const asCarol = await callerFor(carol);
    const chat = await asCarol.chats.createGroup({ name: "Burst", memberIds: [] });
    const sent = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        asCarol.messages.send({ chatId: chat.id, content: `burst ${i}` }),
      ),
    );
    const seqs = sent.map((m) => m.seq).sort((a, b) => a - b);
    expect(seqs).toEqual(Array.from({ length: 20 }, (_, i) => chat.lastSeq + 1 + i));
  });

  it("returns the stored message when a send is retried with the same key", async () => {
    const asBob = await callerFor(bob);
    const clientKey = crypto.randomUUID();
    const id = messageIdFor(bob.id, clientKey);
    const first = await asBob.messages.send({ chatId: directId, clientKey, content: "once" });
    const retry = await asBob.messages.send({ chatId: directId, clientKey, content: "once" });
    expect(first.id).toBe(id);
    expect(retry).toMatchObject({ id, seq: first.seq });
    const page = await asBob.messages.list({ chatId: directId, after: first.seq - 1 });
    expect(page.messages.filter((m) => m.id === id)).toHaveLength(1);
    // The same key for another chat of his is a conflict, not a copy.
    expect(await codeOf(asBob.messages.send({ chatId: groupId, clientKey, content: "once" }))).toBe(
      "CONFLICT",
    );
    // The same key from someone else is their own message, under another id.
    const alices = await (
      await callerFor(alice)
    ).messages.send({ chatId: directId, clientKey, content: "once" });
    expect(alices.id).not.toBe(id);
    expect(alices.seq).toBe(first.seq + 1);
  });

  it("never tells whether a message of a chat the sender is not in exists", async () => {
    const asMallory = await callerFor(mallory);
    const [secret] = await (
      await callerFor(alice)
    ).messages
      .list({ chatId: directId, limit: 1 })
      .then((p) => p.messages);
    const own = await asMallory.chats.createGroup({ name: "Probe", memberIds: [] });
    // Keys equal to an existing message's id and to an unused one are answered alike.
    const keys = [secret!.id, crypto.randomUUID()];
    const sent = await Promise.all(
      keys.map((clientKey) => asMallory.messages.send({ chatId: own.id, clientKey, content: "?" })),
    );
    expect(sent.map((m) => m.id)).toEqual(keys.map((k) => messageIdFor(mallory.id, k)));
    expect(sent.map((m) => m.id)).not.toContain(secret!.id);
  });

  it("gives every one of 50 concurrent sends with one id the one message stored", async () => {
    const asCarol = await callerFor(carol);
    const chat = await asCarol.chats.createGroup({ name: "Retries", memberIds: [] });
    const clientKey = crypto.randomUUID();
    // Every connection of the pool open, so the sends really overlap.
    await Promise.all(Array.from({ length: 8 }, () => asCarol.chats.get({ chatId: chat.id })));
    // Started together, as a client's retries after a lost response are.
    const outcomes = await Promise.allSettled(
      Array.from({ length: 50 }, async () => {
        await new Promise((resolve) => setImmediate(resolve));
        return asCarol.messages.send({
          chatId: chat.id,
          clientKey,
          content: "sent once, retried often",
        });
      }),
    );
    const failed = outcomes.filter((o) => o.status === "rejected");
    expect(failed.map((o) => String(o.reason))).toEqual([]);
    const seqs = new Set(
      outcomes.map((o) => (o as PromiseFulfilledResult<{ seq: number }>).value.seq),
    );
    expect(seqs).toEqual(new Set([chat.lastSeq + 1]));
    const page = await asCarol.messages.list({ chatId: chat.id, after: chat.lastSeq });
    expect(page.messages.map((m) => m.id)).toEqual([messageIdFor(carol.id, clientKey)]);
  });

  it("pages by seq: before, after and around, never beyond the last message", async () => {
    const asCarol = await callerFor(carol);
    const chat = await asCarol.chats.createGroup({ name: "History", memberIds: [] });
    for (let i = 1; i <= 30; i++)
      await asCarol.messages.send({ chatId: chat.id, content: `m${i}` });
    const last = (await asCarol.chats.get({ chatId: chat.id })).lastSeq; // 31: the created message is seq 1

    const latest = await asCarol.messages.list({ chatId: chat.id, limit: 10 });
    expect(latest.messages.map((m) => m.seq)).toEqual(
      Array.from({ length: 10 }, (_, i) => last - 9 + i),
    );
    expect(latest).toMatchObject({ hasOlder: true, hasNewer: false });

    const older = await asCarol.messages.list({
      chatId: chat.id,
      before: latest.messages[0]!.seq,
      limit: 10,
    });
    expect(older.messages.at(-1)!.seq).toBe(latest.messages[0]!.seq - 1);

    const after = await asCarol.messages.list({ chatId: chat.id, after: 1, limit: 5 });
    expect(after.messages.map((m) => m.seq)).toEqual([2, 3, 4, 5, 6]);
    expect(after).toMatchObject({ hasOlder: true, hasNewer: true });

    const around = await asCarol.messages.list({ chatId: chat.id, around: 15, limit: 6 });
    expect(around.messages.map((m) => m.seq)).toEqual([12, 13, 14, 15, 16, 17]);
    const justIt = await asCarol.messages.list({ chatId: chat.id, around: 15, limit: 1 });
    expect(justIt.messages.map((m) => m.seq)).toEqual([15]);
    expect(justIt).toMatchObject({ hasOlder: true, hasNewer: true, lastSeq: last });
    const upToNow = await asCarol.messages.list({ chatId: chat.id, before: last + 1, limit: 2 });
    expect(upToNow.messages.map((m) => m.seq)).toEqual([last - 1, last]);
    const outsider = await callerFor(mallory);
    expect(await codeOf(outsider.messages.list({ chatId: chat.id }))).toBe("NOT_FOUND");

    expect(await codeOf(asCarol.messages.list({ chatId: chat.id, after: last + 1 }))).toBe(
      "BAD_REQUEST",
    );
    expect(await codeOf(asCarol.messages.list({ chatId: chat.id, before: 3, after: 1 }))).toBe(
      "BAD_REQUEST",
    );
    expect(await codeOf(asCarol.messages.list({ chatId: chat.id, limit: 101 }))).toBe(
      "BAD_REQUEST",
    );
  });

  it("lets only the sender edit, and keeps the history for members", async () => {
    const asAlice = await callerFor(alice);
    const asBob = await callerFor(bob);
    const sent = await asAlice.messages.send({ chatId: groupId, content: "Draft one" });
    const edited = await asAlice.messages.edit({ messageId: sent.id, content: "Draft two" });
    expect(edited).toMatchObject({ content: "Draft two", edited: true });
    expect(
      (await asBob.messages.edits({ messageId: sent.id })).items.map((e) => e.previousContent),
    ).toEqual(["Draft one"]);
    // Bob is a group admin: he may delete Alice's message, not rewrite it.
    expect(await codeOf(asBob.messages.edit({ messageId: sent.id, content: "Bob was here" }))).toBe(
      "FORBIDDEN",
    );
    expect(await codeOf((await callerFor(mallory)).messages.edits({ messageId: sent.id }))).toBe(
      "NOT_FOUND",
    );
  });

  it("pages the edit history newest first, and bounds it", async () => {
    const asAlice = await callerFor(alice);
    const asBob = await callerFor(bob);
    const sent = await asAlice.messages.send({ chatId: groupId, content: "v0" });
    for (let i = 1; i <= 25; i++) {
      await asAlice.messages.edit({ messageId: sent.id, content: `v${i}` });
    }
    const first = await asBob.messages.edits({ messageId: sent.id });
    expect(first.items.map((e) => e.previousContent)).toEqual(
      Array.from({ length: 20 }, (_, i) => `v${24 - i}`),
    );
    const second = await asBob.messages.edits({
      messageId: sent.id,
      cursor: first.nextCursor ?? undefined,
    });
    expect(second.items.map((e) => e.previousContent)).toEqual(["v4", "v3", "v2", "v1", "v0"]);
    expect(second.nextCursor).toBeNull();
    expect(await codeOf(asBob.messages.edits({ messageId: sent.id, limit: 51 }))).toBe(
      "BAD_REQUEST",
    );
    expect(await codeOf(asBob.messages.edits({ messageId: sent.id, cursor: "not-a-cursor" }))).toBe(
      "BAD_REQUEST",
    );

    // At the bound, one more edit is refused; deleting still goes through.
    await database.handle.db.execute(
      sql`insert into message_edits ("messageId", "chatId", "previousContent", "editedAt", "editedBy")
          select ${sent.id}::uuid, ${groupId}::uuid, 'filler', now(), ${alice.id}::uuid
          from generate_series(1, ${MESSAGE_MAX_EDITS - 25})`,
    );
    expect(await codeOf(asAlice.messages.edit({ messageId: sent.id, content: "one more" }))).toBe(
      "UNPROCESSABLE_CONTENT",
    );
    expect((await asAlice.messages.delete({ messageId: sent.id })).deleted).toBe(true);
  });

  it("soft-deletes: the row stays, its text, reactions and history go", async () => {
    const asAlice = await callerFor(alice);
    const asBob = await callerFor(bob);
    const asCarol = await callerFor(carol);
    const sent = await asCarol.messages.send({ chatId: groupId, content: "oops, wrong chat" });
    await asCarol.messages.edit({ messageId: sent.id, content: "oops" });
    await asAlice.messages.react({ messageId: sent.id, emoji: "👍" });

    // A plain member cannot delete someone else's message.
    const fromAlice = await asAlice.messages.send({ chatId: groupId, content: "keep me" });
    expect(await codeOf(asCarol.messages.delete({ messageId: fromAlice.id }))).toBe("FORBIDDEN");

    const deleted = await asBob.messages.delete({ messageId: sent.id });
    expect(deleted).toMatchObject({
      deleted: true,
      content: null,
      reactions: [],
      deletedBy: bob.id,
    });
    expect(await asCarol.messages.edits({ messageId: sent.id })).toEqual({
      items: [],
      nextCursor: null,
    });
    expect(await codeOf(asCarol.messages.edit({ messageId: sent.id, content: "back" }))).toBe(
      "BAD_REQUEST",
    );
    expect(await codeOf(asAlice.messages.react({ messageId: sent.id, emoji: "🎉" }))).toBe(
      "BAD_REQUEST",
    );
    const list = await asAlice.chats.list();
    const group = list.items.find((c) => c.id === groupId);
    expect(group?.lastMessage?.preview).toBe("keep me");
  });

  it("counts look-alike emoji as one reaction and refuses what is not an emoji", async () => {
    const [asAlice, asBob] = await Promise.all([callerFor(alice), callerFor(bob)]);
    const sent = await asAlice.messages.send({ chatId: groupId, content: "react to me" });
    await asAlice.messages.react({ messageId: sent.id, emoji: "👍" });
    // The same thumbs up with a variation selector that changes nothing.
    const after = await asBob.messages.react({ messageId: sent.id, emoji: "\u{1F44D}\uFE0F" });
    expect(after.reactions).toMatchObject([{ emoji: "👍", count: 2 }]);
    for (const emoji of ["abc", "123", "a👍"]) {
      expect(await codeOf(asAlice.messages.react({ messageId: sent.id, emoji }))).toBe(
        "BAD_REQUEST",
      );
    }
  });

  it("aggregates reactions per emoji with my own marked", async () => {
    const asAlice = await callerFor(alice);
    const asBob = await callerFor(bob);
    const sent = await asAlice.messages.send({ chatId: groupId, content: "Ship it?" });
    await asAlice.messages.react({ messageId: sent.id, emoji: "👍" });
    await asBob.messages.react({ messageId: sent.id, emoji: "👍" });
    const both = await asBob.messages.react({ messageId: sent.id, emoji: "🚀" });
    expect(both.reactions).toEqual([
      { emoji: "👍", count: 2, reactedByMe: true, names: ["Alice", "Bob"] },
      { emoji: "🚀", count: 1, reactedByMe: true, names: ["Bob"] },
    ]);
    // The same summary comes with the message in a page.
    const page = await asAlice.messages.list({ chatId: groupId, after: sent.seq - 1, limit: 1 });
    expect(page.messages[0]?.reactions).toEqual([
      { emoji: "👍", count: 2, reactedByMe: true, names: ["Alice", "Bob"] },
      { emoji: "🚀", count: 1, reactedByMe: false, names: ["Bob"] },
    ]);
    const afterUnreact = await asBob.messages.unreact({ messageId: sent.id, emoji: "👍" });
    expect(afterUnreact.reactions).toEqual([
      { emoji: "👍", count: 1, reactedByMe: false, names: ["Alice"] },
      { emoji: "🚀", count: 1, reactedByMe: true, names: ["Bob"] },
    ]);
    expect(await codeOf(asBob.messages.react({ messageId: sent.id, emoji: "two words" }))).toBe(
      "BAD_REQUEST",
    );
    expect(await codeOf(asBob.messages.react({ messageId: sent.id, emoji: "x".repeat(33) }))).toBe(
      "BAD_REQUEST",
    );
    expect(
      await codeOf((await callerFor(mallory)).messages.react({ messageId: sent.id, emoji: "👀" })),
    ).toBe("NOT_FOUND");
  });

  it("derives sent → delivered → read from the other member's pointers in a direct chat", async () => {
    const asAlice = await callerFor(alice);
    const asBob = await callerFor(bob);
    const sent = await asAlice.messages.send({ chatId: directId, content: "status check" });
    expect(sent.status).toBe("sent");
    await asBob.chats.markDelivered({ chatId: directId, seq: sent.seq });
    expect(
      (await asAlice.messages.list({ chatId: directId, after: sent.seq - 1 })).messages[0]?.status,
    ).toBe("delivered");
    await asBob.chats.markRead({ chatId: directId, seq: sent.seq });
    const seen = (await asAlice.messages.list({ chatId: directId, after: sent.seq - 1 }))
      .messages[0];
    expect(seen).toMatchObject({ status: "read", readBy: null });
    // Statuses are for the sender only.
    expect(
      (await asBob.messages.list({ chatId: directId, after: sent.seq - 1 })).messages[0]?.status,
    ).toBeNull();
    expect((await asAlice.messages.readers({ messageId: sent.id })).map((r) => r.userId)).toEqual([
      bob.id,
    ]);
  });

  it("counts readers in a group and calls a message read when everyone has read it", async () => {
    const asAlice = await callerFor(alice);
    const sent = await asAlice.messages.send({ chatId: groupId, content: "Everyone read this" });
    await (await callerFor(bob)).chats.markRead({ chatId: groupId, seq: sent.seq });
    let view = (await asAlice.messages.list({ chatId: groupId, after: sent.seq - 1 })).messages[0];
    expect(view).toMatchObject({ status: "sent", readBy: 1 });
    await (await callerFor(carol)).chats.markRead({ chatId: groupId, seq: sent.seq });
    view = (await asAlice.messages.list({ chatId: groupId, after: sent.seq - 1 })).messages[0];
    expect(view).toMatchObject({ status: "read", readBy: 2 });
    const unread = (await (await callerFor(carol)).chats.list()).items.find(
      (c) => c.id === groupId,
    );
    expect(unread?.unreadCount).toBe(0);
  });

  it("searches only the caller's chats, with highlighted snippets", async () => {
    const asAlice = await callerFor(alice);
    const asMallory = await callerFor(mallory);
    await asAlice.messages.send({
      chatId: groupId,
      content: "The quarterly pineapple report is ready",
    });
    const privateChat = await asMallory.chats.createGroup({ name: "Mallory's", memberIds: [] });
    await asMallory.messages.send({ chatId: privateChat.id, content: "secret pineapple plans" });

    const mine = await asAlice.messages.search({ query: "pineapple" });
    expect(mine.hits).toHaveLength(1);
    expect(mine.hits[0]).toMatchObject({ chatId: groupId, chatTitle: "Launch plan" });
    expect(mine.hits[0]!.snippet.filter((s) => s.match).map((s) => s.text)).toEqual(["pineapple"]);

    const theirs = await asMallory.messages.search({ query: "pineapple" });
    expect(theirs.hits.map((h) => h.chatId)).toEqual([privateChat.id]);
    expect(await codeOf(asMallory.messages.search({ query: "pineapple", chatId: groupId }))).toBe(
      "NOT_FOUND",
    );
    expect(await codeOf(asAlice.messages.search({ query: "   " }))).toBe("BAD_REQUEST");
  });

  it("finds people by name without their email, never banned users", async () => {
    const asAlice = await callerFor(alice);
    await (await callerFor(carol)).metas.set({ key: "title", value: "Designer", isPublic: true });
    await (await callerFor(carol)).metas.set({ key: "phone", value: "555-0100" });
    const found = await asAlice.users.search({ query: "car" });
    expect(found).toEqual([
      {
        id: carol.id,
        name: "Carol",
        image: null,
        publicMetas: [{ key: "title", value: "Designer", dataType: "text" }],
      },
    ]);
    await database.handle.db.update(user).set({ banned: true }).where(eq(user.id, mallory.id));
    expect(await asAlice.users.search({ query: "mallory" })).toEqual([]);
    expect(await asAlice.users.search({ query: "%" })).toEqual([]);
  });

  describe("domain events", () => {
    const seen: DomainEvent[] = [];
    const stop = subscribe((event) => seen.push(event));
    afterEach(() => {
      seen.length = 0;
    });

    it("are published after commit", async () => {
      const sent = await (
        await callerFor(alice)
      ).messages.send({ chatId: directId, content: "event!" });
      expect(seen).toContainEqual({
        type: "message.created",
        chatId: directId,
        messageId: sent.id,
        seq: sent.seq,
        senderId: alice.id,
        threadRootId: null,
        memberIds: expect.arrayContaining([alice.id, bob.id]) as string[],
      });
    });

    it("are never published for a rolled-back transaction", async () => {
      await expect(
        withRls(actorOf(alice), async (tx) => {
          await sendMessage(tx, { userId: alice.id, chatId: directId, content: "never happened" });
          expect(seen).toEqual([]);
          throw new Error("roll back");
        }),
      ).rejects.toThrow("roll back");
      expect(seen).toEqual([]);
      stop();
    });
  });
});
