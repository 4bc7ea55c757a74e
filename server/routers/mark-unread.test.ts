import { and, eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { withRls } from "@/db/rls";
import { chatMembers } from "@/db/schema";
import {
  PostgresChangeDispatcher,
  type ChangeData,
  type ChangeTarget,
} from "@/server/realtime/postgres-changes";
import { useTestDatabase } from "@/test/database";
import { codeOf, outcome } from "@/test/errors";
import { callerFor, signUp, type TestUser, testWorkspace, actorOf } from "@/test/users";

const database = useTestDatabase();

describe("mark as unread", () => {
  let alice: TestUser;
  let bob: TestUser;
  let mallory: TestUser;
  let groupId: string;
  const seqs: number[] = [];

  beforeAll(async () => {
    alice = await signUp("Alice");
    bob = await signUp("Bob");
    mallory = await signUp("Mallory");
    const asAlice = await callerFor(alice);
    groupId = (await asAlice.chats.createGroup({ name: "Reading", memberIds: [bob.id] })).id;
    for (const text of ["one", "two", "three", "four"]) {
      seqs.push((await asAlice.messages.send({ chatId: groupId, content: text })).seq);
    }
    await (await callerFor(bob)).chats.markRead({ chatId: groupId, seq: seqs.at(-1)! });
  });

  const unreadOf = async (who: TestUser) => {
    const caller = await callerFor(who);
    const list = await caller.chats.list({});
    return {
      list: list.items.find((c) => c.id === groupId)?.unreadCount,
      total: (await caller.chats.unreadTotal()).total,
      mark: (await caller.chats.get({ chatId: groupId })).unreadFromSeq,
    };
  };

  it("counts a read chat as unread from the marked message, leaving read receipts as they were", async () => {
    const asBob = await callerFor(bob);
    expect(await unreadOf(bob)).toEqual({ list: 0, total: 0, mark: null });
    expect(await asBob.chats.markUnread({ chatId: groupId, seq: seqs[1]! })).toEqual({
      unreadFromSeq: seqs[1],
      unreadCount: 3,
    });
    expect(await unreadOf(bob)).toEqual({ list: 3, total: 3, mark: seqs[1] });
    // Alice still sees her messages read by Bob.
    const last = (await (await callerFor(alice)).messages.list({ chatId: groupId })).messages.at(
      -1,
    )!;
    expect(last.readBy).toBe(1);
    const bobRow = (await (await callerFor(alice)).chats.get({ chatId: groupId })).members.find(
      (m) => m.userId === bob.id,
    );
    expect(bobRow?.lastReadSeq).toBe(seqs.at(-1));
  });

  it("does not count deleted messages past the mark, and ends when the chat is read again", async () => {
    const asAlice = await callerFor(alice);
    const page = await asAlice.messages.list({ chatId: groupId });
    const three = page.messages.find((m) => m.content === "three")!;
    await asAlice.messages.delete({ messageId: three.id });
    expect((await unreadOf(bob)).list).toBe(2);

    await (await callerFor(bob)).chats.markRead({ chatId: groupId, seq: seqs.at(-1)! });
    expect(await unreadOf(bob)).toEqual({ list: 0, total: 0, mark: null });
  });

  it("counts from an event line as from the messages after it", async () => {
    const asAlice = await callerFor(alice);
    await asAlice.chats.update({ chatId: groupId, name: "Reading club" });
    const line = (await asAlice.messages.list({ chatId: groupId })).messages.at(-1)!;
    expect(line.type).toBe("system");
    await asAlice.messages.send({ chatId: groupId, content: "five" });
    const asBob = await callerFor(bob);
    await asBob.chats.markRead({ chatId: groupId, seq: line.seq + 1 });
    expect((await asBob.chats.markUnread({ chatId: groupId, seq: line.seq })).unreadCount).toBe(1);
    await asBob.chats.markRead({ chatId: groupId, seq: line.seq + 1 });
  });

  it("is refused past the last message, and NOT_FOUND outside the chat", async () => {
    const asBob = await callerFor(bob);
    const lastSeq = (await asBob.chats.get({ chatId: groupId })).lastSeq;
    expect(await codeOf(asBob.chats.markUnread({ chatId: groupId, seq: lastSeq + 1 }))).toBe(
      "BAD_REQUEST",
    );
    expect(
      await codeOf((await callerFor(mallory)).chats.markUnread({ chatId: groupId, seq: 1 })),
    ).toBe("NOT_FOUND");
  });

  it("is each member's own, in the database too: the mark is set by its member only, its ordinal by none", async () => {
    const row = (who: string) => and(eq(chatMembers.chatId, groupId), eq(chatMembers.userId, who));
    // Alice may update Bob's row (she owns the group), but not his mark.
    expect(
      await outcome(
        withRls(actorOf(alice), (tx) =>
          tx.update(chatMembers).set({ unreadFromSeq: 1 }).where(row(bob.id)),
        ),
      ),
    ).toBe("42501");
    // The ordinal is derived: no request role may write it.
    expect(
      await outcome(
        withRls(actorOf(bob), (tx) =>
          tx.update(chatMembers).set({ unreadFromOrdinal: 0 }).where(row(bob.id)),
        ),
      ),
    ).toBe("42501");
    // A mark on a message the chat does not have.
    expect(
      await outcome(
        withRls(actorOf(bob), (tx) =>
          tx.execute(
            sql`update public.chat_members set "unreadFromSeq" = 999999
                where "chatId" = ${groupId}::uuid and "userId" = ${bob.id}::uuid`,
          ),
        ),
      ),
    ).toBe("22023");
    // Whatever an insert sends, a new member starts without a mark.
    const asAlice = await callerFor(alice);
    await asAlice.chats.addMembers({ chatId: groupId, userIds: [mallory.id] });
    const [fresh] = await database.handle.db
      .select({
        unreadFromSeq: chatMembers.unreadFromSeq,
        unreadFromOrdinal: chatMembers.unreadFromOrdinal,
      })
      .from(chatMembers)
      .where(row(mallory.id));
    expect(fresh).toEqual({ unreadFromSeq: null, unreadFromOrdinal: null });
  });

  it("shows in postgres_changes to its member only", async () => {
    await (await callerFor(bob)).chats.markUnread({ chatId: groupId, seq: seqs[0]! });
    const received = new Map<string, ChangeData>();
    const team = await testWorkspace();
    const targetFor = (who: TestUser): ChangeTarget => ({
      userId: who.id,
      organizationId: team,
      changeSubscriptions: [{ id: 1, event: "*", table: "chat_members", filter: null }],
      deliverChange: (_ids, data) => received.set(who.id, data),
    });
    const dispatcher = new PostgresChangeDispatcher(
      () => [targetFor(alice), targetFor(bob)],
      () => Promise.resolve(true),
    );
    await dispatcher.dispatch({
      t: "chat_members",
      o: "UPDATE",
      k: { chatId: groupId, userId: bob.id },
      c: groupId,
      ts: new Date().toISOString(),
    });
    expect(Number(received.get(bob.id)?.record?.unreadFromSeq)).toBe(seqs[0]);
    expect(received.get(alice.id)?.record).toMatchObject({
      unreadFromSeq: null,
      unreadFromOrdinal: null,
    });
  });
});
