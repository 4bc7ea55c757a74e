import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withRls } from "@/db/rls";
import { chats } from "@/db/schema";
import type { DomainEvent } from "@/server/realtime/events";
import { subscribe } from "@/server/realtime/publisher";
import { useTestDatabase } from "@/test/database";
import { codeOf, outcome } from "@/test/errors";
import { callerFor, signUp, type TestUser, actorOf } from "@/test/users";

const database = useTestDatabase();

describe("public rooms", () => {
  let alice: TestUser;
  let bob: TestUser;
  let carol: TestUser;
  let mallory: TestUser;
  let openId: string;
  let closedId: string;
  let directId: string;
  const seen: DomainEvent[] = [];
  const stop = subscribe((event) => seen.push(event));
  afterAll(stop);

  beforeAll(async () => {
    alice = await signUp("Alice");
    bob = await signUp("Bob");
    carol = await signUp("Carol");
    mallory = await signUp("Mallory");
    const asAlice = await callerFor(alice);
    const open = await asAlice.chats.createGroup({
      name: "Gardening",
      description: "Seeds, soil and patience",
      visibility: "public",
      memberIds: [carol.id],
    });
    expect(open.visibility).toBe("public");
    openId = open.id;
    closedId = (await asAlice.chats.createGroup({ name: "Garden committee", memberIds: [] })).id;
    directId = (await asAlice.chats.createDirect({ userId: carol.id })).id;
    await asAlice.messages.send({ chatId: openId, content: "Tomatoes are in" });
  });

  it("are found by anyone signed in, by name or description; private groups by no one outside", async () => {
    const asBob = await callerFor(bob);
    const all = await asBob.chats.directory({});
    expect(all.items).toEqual([
      {
        id: openId,
        name: "Gardening",
        description: "Seeds, soil and patience",
        image: null,
        memberCount: 2,
        joined: false,
      },
    ]);
    expect((await asBob.chats.directory({ query: "SOIL" })).items.map((r) => r.id)).toEqual([
      openId,
    ]);
    expect((await asBob.chats.directory({ query: "committee" })).items).toEqual([]);
    // Outside a room its messages stay closed, as any chat's.
    expect(await codeOf(asBob.messages.list({ chatId: openId }))).toBe("NOT_FOUND");
    expect(await codeOf(asBob.chats.get({ chatId: openId }))).toBe("NOT_FOUND");
  });

  it("pages by name and refuses a cursor it did not make", async () => {
    const asAlice = await callerFor(alice);
    for (const name of ["Astronomy", "Birding", "Cycling"]) {
      await asAlice.chats.createGroup({ name, visibility: "public", memberIds: [] });
    }
    const asBob = await callerFor(bob);
    const first = await asBob.chats.directory({ limit: 2 });
    expect(first.items.map((r) => r.name)).toEqual(["Astronomy", "Birding"]);
    const second = await asBob.chats.directory({ limit: 2, cursor: first.nextCursor! });
    expect(second.items.map((r) => r.name)).toEqual(["Cycling", "Gardening"]);
    expect(second.nextCursor).toBeNull();
    expect(await codeOf(asBob.chats.directory({ cursor: "not-a-cursor" }))).toBe("BAD_REQUEST");
  });

  it("are joined as a member, with an event line and live events; joining again changes nothing", async () => {
    const asBob = await callerFor(bob);
    seen.length = 0;
    const joined = await asBob.chats.join({ chatId: openId });
    expect(joined).toMatchObject({ id: openId, myRole: "member", visibility: "public" });
    expect(joined.members.map((m) => m.userId)).toContain(bob.id);
    expect(seen).toEqual([
      expect.objectContaining({
        type: "member.changed",
        chatId: openId,
        userId: bob.id,
        change: "added",
      }),
    ]);
    const page = await asBob.messages.list({ chatId: openId });
    expect(page.messages.map((m) => m.content)).toContain("Tomatoes are in");
    const line = page.messages.at(-1)!;
    expect(line).toMatchObject({
      type: "system",
      metadata: { kind: "member_joined", userId: bob.id },
    });

    seen.length = 0;
    await asBob.chats.join({ chatId: openId });
    expect(seen).toEqual([]);
    expect((await asBob.messages.list({ chatId: openId })).lastSeq).toBe(line.seq);
    expect((await asBob.chats.directory({ query: "Gardening" })).items[0]?.joined).toBe(true);
  });

  it("are the only chats one can join: private groups, direct chats and unknown ids are not found", async () => {
    const asBob = await callerFor(bob);
    expect(await codeOf(asBob.chats.join({ chatId: closedId }))).toBe("NOT_FOUND");
    expect(await codeOf(asBob.chats.join({ chatId: directId }))).toBe("NOT_FOUND");
    expect(await codeOf(asBob.chats.join({ chatId: "00000000-0000-4000-8000-000000000000" }))).toBe(
      "NOT_FOUND",
    );
  });

  it("are opened and closed by the owner and admins only; direct chats are never public", async () => {
    const asCarol = await callerFor(carol);
    const asAlice = await callerFor(alice);
    expect(await codeOf(asCarol.chats.update({ chatId: openId, visibility: "private" }))).toBe(
      "FORBIDDEN",
    );
    // Past the app, the database refuses the same: the update reaches no row.
    const updated = await withRls(actorOf(carol), (tx) =>
      tx
        .update(chats)
        .set({ visibility: "private" })
        .where(eq(chats.id, openId))
        .returning({ id: chats.id }),
    );
    expect(updated).toEqual([]);
    expect(await codeOf(asAlice.chats.update({ chatId: directId, visibility: "public" }))).toBe(
      "BAD_REQUEST",
    );
    expect(
      await outcome(
        database.handle.db.execute(
          sql`update public.chats set visibility = 'public' where id = ${directId}::uuid`,
        ),
      ),
    ).toBe("23514");
    expect(
      await outcome(
        database.handle.db.execute(
          sql`update public.chats set visibility = 'secret' where id = ${closedId}::uuid`,
        ),
      ),
    ).toBe("23514");

    await asAlice.chats.update({ chatId: openId, visibility: "private" });
    expect((await (await callerFor(bob)).chats.directory({ query: "Gardening" })).items).toEqual(
      [],
    );
    expect(await codeOf((await callerFor(mallory)).chats.join({ chatId: openId }))).toBe(
      "NOT_FOUND",
    );
  });

  it("leave the directory when deleted", async () => {
    const asAlice = await callerFor(alice);
    const { id } = await asAlice.chats.createGroup({
      name: "Zymurgy",
      visibility: "public",
      memberIds: [],
    });
    await asAlice.chats.delete({ chatId: id });
    const rows = await database.handle.db
      .select({ deletedAt: chats.deletedAt })
      .from(chats)
      .where(and(eq(chats.id, id)));
    expect(rows[0]?.deletedAt).not.toBeNull();
    expect((await (await callerFor(bob)).chats.directory({ query: "Zymurgy" })).items).toEqual([]);
    expect(await codeOf((await callerFor(bob)).chats.join({ chatId: id }))).toBe("NOT_FOUND");
  });
});
