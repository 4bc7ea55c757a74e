import { beforeAll, describe, expect, it } from "vitest";
import { eq, sql } from "drizzle-orm";
import { queryRows } from "@/db/rows";
import { messages, user } from "@/db/schema";
import { useTestDatabase } from "@/test/database";
import { codeOf } from "@/test/errors";
import { callerFor, signUp, type TestUser } from "@/test/users";

const database = useTestDatabase();

describe("chats", () => {
  let alice: TestUser;
  let bob: TestUser;
  let carol: TestUser;
  let dave: TestUser;

  beforeAll(async () => {
    alice = await signUp("Alice");
    bob = await signUp("Bob");
    carol = await signUp("Carol");
    dave = await signUp("Dave");
  });

  it("creates one direct chat per pair, whoever starts it", async () => {
    const first = await (await callerFor(alice)).chats.createDirect({ userId: bob.id });
    const again = await (await callerFor(bob)).chats.createDirect({ userId: alice.id });
    expect(again.id).toBe(first.id);
    expect(first).toMatchObject({ type: "direct", title: "Bob", myRole: "member" });
    expect(first.members.map((m) => m.name).sort()).toEqual(["Alice", "Bob"]);
    expect(await codeOf((await callerFor(alice)).chats.createDirect({ userId: alice.id }))).toBe(
      "BAD_REQUEST",
    );
    expect(
      await codeOf((await callerFor(alice)).chats.createDirect({ userId: crypto.randomUUID() })),
    ).toBe("NOT_FOUND");
  });

  it("creates a group with its creator as owner and a created message", async () => {
    const api = await callerFor(alice);
    const group = await api.chats.createGroup({
      name: "  Launch plan ",
      memberIds: [bob.id, carol.id, bob.id],
    });
    expect(group).toMatchObject({
      type: "group",
      title: "Launch plan",
      myRole: "owner",
      lastSeq: 1,
    });
    expect(group.members.map((m) => [m.name, m.role])).toEqual(
      expect.arrayContaining([
        ["Alice", "owner"],
        ["Bob", "member"],
        ["Carol", "member"],
      ]),
    );
    const page = await api.messages.list({ chatId: group.id });
    expect(page.messages.map((m) => m.metadata?.kind)).toEqual(["chat_created"]);
    expect(
      await codeOf(api.chats.createGroup({ name: "x", memberIds: [crypto.randomUUID()] })),
    ).toBe("BAD_REQUEST");
    expect(await codeOf(api.chats.createGroup({ name: "", memberIds: [] }))).toBe("BAD_REQUEST");
  });

  it("lists my chats with previews and unread counts in one page", async () => {
    const asAlice = await callerFor(alice);
    const asBob = await callerFor(bob);
    const direct = await asAlice.chats.createDirect({ userId: bob.id });
    await asAlice.messages.send({ chatId: direct.id, content: "hi bob" });
    await asAlice.messages.send({ chatId: direct.id, content: "are you there?" });
    const list = await asBob.chats.list();
    const item = list.items.find((c) => c.id === direct.id);
    expect(item).toMatchObject({
      title: "Alice",
      unreadCount: 2,
      lastMessage: { preview: "are you there?", senderName: "Alice" },
      memberCount: 2,
    });
    expect((await asAlice.chats.list()).items.find((c) => c.id === direct.id)?.unreadCount).toBe(0);
    expect(await asBob.chats.unreadTotal()).toMatchObject({ total: 2, chats: 1 });
    await expect((await callerFor(dave)).chats.list()).resolves.toMatchObject({ items: [] });
  });

  it("keeps each chat's member count as people join, leave, are removed or deleted", async () => {
    const erin = await signUp("Erin");
    const asAlice = await callerFor(alice);
    const countOf = async (api: typeof asAlice, chatId: string) =>
      (await api.chats.list({ limit: 100 })).items.find((c) => c.id === chatId)?.memberCount;

    const group = await asAlice.chats.createGroup({ name: "Counted", memberIds: [bob.id] });
    expect(await countOf(asAlice, group.id)).toBe(2);
    await asAlice.chats.addMembers({ chatId: group.id, userIds: [carol.id, dave.id, erin.id] });
    expect(await countOf(asAlice, group.id)).toBe(5);
    await asAlice.chats.removeMember({ chatId: group.id, userId: dave.id });
    await (await callerFor(carol)).chats.leave({ chatId: group.id });
    expect(await countOf(asAlice, group.id)).toBe(3);

    // Erin's account goes, and her memberships with it: the direct chat keeps Alice alone.
    const direct = await asAlice.chats.createDirect({ userId: erin.id });
    expect(await countOf(asAlice, direct.id)).toBe(2);
    await database.handle.db.delete(user).where(eq(user.id, erin.id));
    const list = await asAlice.chats.list({ limit: 100 });
    expect(list.items.find((c) => c.id === direct.id)).toMatchObject({
      memberCount: 1,
      title: "Deleted user",
      directUserId: null,
    });
    expect(list.items.find((c) => c.id === group.id)?.memberCount).toBe(2);
  });

  it("caps the unread count at 100", async () => {
    const direct = await (await callerFor(dave)).chats.createDirect({ userId: carol.id });
    await database.handle.db.insert(messages).values(
      Array.from({ length: 105 }, (_, i) => ({
        chatId: direct.id,
        senderId: dave.id,
        seq: 0,
        content: `#${i}`,
      })),
    );
    const item = (await (await callerFor(carol)).chats.list()).items.find(
      (c) => c.id === direct.id,
    );
    expect(item).toMatchObject({ unreadCount: 100, lastSeq: 105 });
  });

  it("counts as unread only others' live messages past the read pointer", async () => {
    const [asAlice, asBob, asCarol] = await Promise.all([
      callerFor(alice),
      callerFor(bob),
      callerFor(carol),
    ]);
    const group = await asAlice.chats.createGroup({ name: "Unread", memberIds: [bob.id] });
    const unreadOf = async (api: typeof asAlice) =>
      (await api.chats.list()).items.find((c) => c.id === group.id)?.unreadCount;
    const send = (api: typeof asAlice, content: string) =>
      api.messages.send({ chatId: group.id, content });

    await send(asBob, "b1");
    await send(asBob, "b2");
    expect(await unreadOf(asAlice)).toBe(2);
    await send(asAlice, "a1"); // sending reads everything before it
    expect(await unreadOf(asAlice)).toBe(0);
    expect(await unreadOf(asBob)).toBe(1);

    await asAlice.chats.addMembers({ chatId: group.id, userIds: [carol.id] }); // system message
    expect(await unreadOf(asCarol)).toBe(0);
    await send(asBob, "b3");
    await send(asCarol, "c1");
    expect(await unreadOf(asAlice)).toBe(2);
    // Renaming posts a system message as Alice, which (like anything she sends) reads up to it.
    await asAlice.chats.update({ chatId: group.id, name: "Unread 2" });
    expect(await unreadOf(asAlice)).toBe(0);
    expect(await unreadOf(asBob)).toBe(1); // c1; the renaming is not counted

    const before = (await asCarol.chats.unreadTotal()).total;
    const b4 = await send(asBob, "b4");
    expect(await unreadOf(asCarol)).toBe(1);
    expect((await asCarol.chats.unreadTotal()).total).toBe(before + 1);
    await asBob.messages.delete({ messageId: b4.id });
    expect(await unreadOf(asCarol)).toBe(0);
    expect((await asCarol.chats.unreadTotal()).total).toBe(before);

    // A read pointer that rests on a system message counts from there.
    await asAlice.chats.update({ chatId: group.id, name: "Unread 3" });
    const { lastSeq } = await asBob.chats.get({ chatId: group.id });
    await asBob.chats.markRead({ chatId: group.id, seq: lastSeq });
    expect(await unreadOf(asBob)).toBe(0);
    await send(asAlice, "a2");
    expect(await unreadOf(asBob)).toBe(1);
    const delivered = await asBob.chats.markDelivered({ chatId: group.id, seq: lastSeq + 1 });
    expect(delivered.unreadCount).toBe(1);
  });

  it("paginates the list with a cursor", async () => {
    const api = await callerFor(carol);
    for (const name of ["One", "Two", "Three"])
      await api.chats.createGroup({ name, memberIds: [] });
    const first = await api.chats.list({ limit: 2 });
    expect(first.items).toHaveLength(2);
    expect(first.nextCursor).not.toBeNull();
    const second = await api.chats.list({ limit: 2, cursor: first.nextCursor ?? undefined });
    const ids = [...first.items, ...second.items].map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(await codeOf(api.chats.list({ cursor: "garbage" }))).toBe("BAD_REQUEST");
  });

  it("hides a chat from everyone who is not a member", async () => {
    const group = await (
      await callerFor(alice)
    ).chats.createGroup({ name: "Secret", memberIds: [bob.id] });
    const asDave = await callerFor(dave);
    expect(await codeOf(asDave.chats.get({ chatId: group.id }))).toBe("NOT_FOUND");
    expect(await codeOf(asDave.messages.list({ chatId: group.id }))).toBe("NOT_FOUND");
    expect(await codeOf(asDave.messages.send({ chatId: group.id, content: "let me in" }))).toBe(
      "NOT_FOUND",
    );
    expect(await codeOf(asDave.chats.addMembers({ chatId: group.id, userIds: [dave.id] }))).toBe(
      "NOT_FOUND",
    );
  });

  it("lets owners and admins manage a group, and nobody touch the owner", async () => {
    const asAlice = await callerFor(alice);
    const asBob = await callerFor(bob);
    const asCarol = await callerFor(carol);
    const group = await asAlice.chats.createGroup({ name: "Team", memberIds: [bob.id, carol.id] });

    expect(await codeOf(asCarol.chats.addMembers({ chatId: group.id, userIds: [dave.id] }))).toBe(
      "FORBIDDEN",
    );
    expect(await codeOf(asCarol.chats.update({ chatId: group.id, name: "Mine now" }))).toBe(
      "FORBIDDEN",
    );

    await asAlice.chats.setRole({ chatId: group.id, userId: bob.id, role: "admin" });
    const added = await asBob.chats.addMembers({ chatId: group.id, userIds: [dave.id] });
    expect(added.members.find((m) => m.userId === dave.id)?.role).toBe("member");
    const renamed = await asBob.chats.update({
      chatId: group.id,
      name: "Team B",
      description: "the B team",
    });
    expect(renamed).toMatchObject({ name: "Team B", description: "the B team" });

    expect(await codeOf(asBob.chats.removeMember({ chatId: group.id, userId: alice.id }))).toBe(
      "FORBIDDEN",
    );
    expect(
      await codeOf(asBob.chats.setRole({ chatId: group.id, userId: alice.id, role: "member" })),
    ).toBe("FORBIDDEN");
    expect(await codeOf(asBob.chats.delete({ chatId: group.id }))).toBe("FORBIDDEN");
    expect(await codeOf(asAlice.chats.leave({ chatId: group.id }))).toBe("FORBIDDEN");

    const removed = await asBob.chats.removeMember({ chatId: group.id, userId: dave.id });
    expect(removed.members.some((m) => m.userId === dave.id)).toBe(false);
    expect(await codeOf((await callerFor(dave)).chats.get({ chatId: group.id }))).toBe("NOT_FOUND");

    const kinds = (await asAlice.messages.list({ chatId: group.id })).messages.map(
      (m) => m.metadata?.kind,
    );
    expect(kinds).toEqual([
      "chat_created",
      "role_changed",
      "member_added",
      "chat_renamed",
      "member_removed",
    ]);
  });

  it("transfers ownership, then the old owner can leave", async () => {
    const asAlice = await callerFor(alice);
    const group = await asAlice.chats.createGroup({ name: "Handover", memberIds: [bob.id] });
    expect(
      await codeOf(
        (await callerFor(bob)).chats.transferOwnership({ chatId: group.id, userId: bob.id }),
      ),
    ).toBe("FORBIDDEN");
    const after = await asAlice.chats.transferOwnership({ chatId: group.id, userId: bob.id });
    expect(after.myRole).toBe("admin");
    expect(after.members.find((m) => m.userId === bob.id)?.role).toBe("owner");
    await asAlice.chats.leave({ chatId: group.id });
    expect(await codeOf(asAlice.chats.get({ chatId: group.id }))).toBe("NOT_FOUND");
    const events = (await (await callerFor(bob)).messages.list({ chatId: group.id })).messages;
    expect(events.map((m) => m.metadata?.kind)).toEqual([
      "chat_created",
      "role_changed",
      "role_changed",
      "member_left",
    ]);
    // Each membership event names its member as they were called then.
    expect(events.slice(1).map((m) => m.metadata?.userName)).toEqual([
      bob.name,
      alice.name,
      alice.name,
    ]);
  });

  it("deletes a group for everyone when the owner deletes it, and keeps its rows", async () => {
    const asAlice = await callerFor(alice);
    const asBob = await callerFor(bob);
    const group = await asAlice.chats.createGroup({ name: "Temporary", memberIds: [bob.id] });
    const sent = await asAlice.messages.send({ chatId: group.id, content: "soon gone" });
    await asAlice.messages.edit({ messageId: sent.id, content: "soon gone, edited" });
    expect(await codeOf(asBob.chats.delete({ chatId: group.id }))).toBe("FORBIDDEN");
    await asAlice.chats.delete({ chatId: group.id });

    for (const caller of [asAlice, asBob]) {
      expect(await codeOf(caller.chats.get({ chatId: group.id }))).toBe("NOT_FOUND");
      expect(await codeOf(caller.messages.list({ chatId: group.id }))).toBe("NOT_FOUND");
      expect(await codeOf(caller.messages.edits({ messageId: sent.id }))).toBe("NOT_FOUND");
      expect(await codeOf(caller.messages.send({ chatId: group.id, content: "still here?" }))).toBe(
        "NOT_FOUND",
      );
      expect((await caller.chats.list()).items.map((c) => c.id)).not.toContain(group.id);
    }
    expect(await codeOf(asAlice.chats.delete({ chatId: group.id }))).toBe("NOT_FOUND");

    // Kept, out of every request role's reach: the chat, its messages and their history,
    // and who its members were.
    const [row] = await queryRows<{
      deleted: boolean;
      messages: number;
      edits: number;
      members: string[];
    }>(
      database.handle.db,
      sql`select c."deletedAt" is not null and c."deletedBy" = ${alice.id}::uuid as deleted,
             (select count(*)::int from messages m where m."chatId" = c.id) as messages,
             (select count(*)::int from message_edits e where e."chatId" = c.id) as edits,
             (select array_agg(d."userId"::text order by d.role desc) from deleted_chat_members d
              where d."chatId" = c.id) as members
           from chats c where c.id = ${group.id}::uuid`,
    );
    expect(row).toMatchObject({ deleted: true, messages: 2, edits: 1 });
    expect(new Set(row!.members)).toEqual(new Set([alice.id, bob.id]));
  });

  it("hides a direct chat until a new message arrives", async () => {
    const asCarol = await callerFor(carol);
    const direct = await asCarol.chats.createDirect({ userId: dave.id });
    await asCarol.chats.hide({ chatId: direct.id });
    expect((await asCarol.chats.list()).items.some((c) => c.id === direct.id)).toBe(false);
    await (await callerFor(dave)).messages.send({ chatId: direct.id, content: "ping" });
    expect((await asCarol.chats.list()).items.some((c) => c.id === direct.id)).toBe(true);
    expect(await codeOf(asCarol.chats.leave({ chatId: direct.id }))).toBe("BAD_REQUEST");
  });

  it("moves read pointers forward only, never past the last message", async () => {
    const asAlice = await callerFor(alice);
    const asCarol = await callerFor(carol);
    const direct = await asAlice.chats.createDirect({ userId: carol.id });
    for (const content of ["1", "2", "3"])
      await asAlice.messages.send({ chatId: direct.id, content });
    const last = (await asCarol.chats.get({ chatId: direct.id })).lastSeq;

    expect(await asCarol.chats.markDelivered({ chatId: direct.id, seq: last })).toMatchObject({
      lastDeliveredSeq: last,
      unreadCount: 3,
    });
    expect(await asCarol.chats.markRead({ chatId: direct.id, seq: last - 1 })).toMatchObject({
      lastReadSeq: last - 1,
      unreadCount: 1,
    });
    expect(await asCarol.chats.markRead({ chatId: direct.id, seq: 1 })).toMatchObject({
      lastReadSeq: last - 1,
    });
    expect(await codeOf(asCarol.chats.markRead({ chatId: direct.id, seq: last + 1 }))).toBe(
      "BAD_REQUEST",
    );
    expect(await codeOf(asCarol.chats.markRead({ chatId: direct.id, seq: -1 }))).toBe(
      "BAD_REQUEST",
    );
  });

  it("stores notification settings per member", async () => {
    const asBob = await callerFor(bob);
    const direct = await asBob.chats.createDirect({ userId: dave.id });
    const until = new Date(Date.now() + 3_600_000);
    expect(
      await asBob.chats.setNotifications({
        chatId: direct.id,
        level: "mentions",
        mutedUntil: until,
      }),
    ).toEqual({
      notificationLevel: "mentions",
      mutedUntil: until,
    });
    const item = (await asBob.chats.list()).items.find((c) => c.id === direct.id);
    expect(item).toMatchObject({ muted: true, notificationLevel: "mentions" });
    const other = (await (await callerFor(dave)).chats.list()).items.find(
      (c) => c.id === direct.id,
    );
    expect(other).toMatchObject({ muted: false, notificationLevel: "all" });
  });

  it("refuses anonymous callers", async () => {
    expect(await codeOf((await callerFor(null)).chats.list())).toBe("UNAUTHORIZED");
  });
});
