import { eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { withRls } from "@/db/rls";
import { user, userStatuses } from "@/db/schema";
import type { DomainEvent } from "@/server/realtime/events";
import { subscribe } from "@/server/realtime/publisher";
import { broadcastsFor } from "@/server/realtime/relay";
import { useTestDatabase } from "@/test/database";
import { codeOf, outcome } from "@/test/errors";
import { callerFor, signUp, type TestUser, actorOf } from "@/test/users";

const database = useTestDatabase();
const inAnHour = () => new Date(Date.now() + 3_600_000);

describe("custom status and profile cards", () => {
  let alice: TestUser;
  let bob: TestUser;
  let mallory: TestUser;
  let chatId: string;

  beforeAll(async () => {
    alice = await signUp("Alice");
    bob = await signUp("Bob");
    mallory = await signUp("Mallory");
    chatId = (await (await callerFor(alice)).chats.createDirect({ userId: bob.id })).id;
  });

  it("tells the person's chats and their own tabs, after commit, of a change", async () => {
    const seen: DomainEvent[] = [];
    const stop = subscribe((event) => seen.push(event));
    try {
      const asAlice = await callerFor(alice);
      await asAlice.status.set({ emoji: "🚲", text: "Cycling", expiresAt: null });
      await asAlice.status.clear();
      // Clearing what is already cleared says nothing.
      await asAlice.status.clear();
      const changes = seen.filter((e) => e.type === "status.changed");
      expect(changes).toEqual([
        { type: "status.changed", userId: alice.id, chatIds: [chatId] },
        { type: "status.changed", userId: alice.id, chatIds: [chatId] },
      ]);
      expect(broadcastsFor(changes[0]!)).toEqual([
        { topic: `user:${alice.id}`, event: "status.changed", payload: { userId: alice.id } },
        { topic: `chat:${chatId}`, event: "member.status", payload: { chatId, userId: alice.id } },
      ]);
    } finally {
      stop();
    }
  });

  it("is set by its person and seen with their name: profile card and member list", async () => {
    const asAlice = await callerFor(alice);
    const expiresAt = inAnHour();
    expect(await asAlice.status.set({ emoji: "🌴", text: "  On holiday  ", expiresAt })).toEqual({
      emoji: "🌴",
      text: "On holiday",
      expiresAt,
    });
    expect(await asAlice.status.get()).toMatchObject({ emoji: "🌴", text: "On holiday" });

    const asBob = await callerFor(bob);
    expect(await asBob.users.profile({ userId: alice.id })).toMatchObject({
      id: alice.id,
      name: "Alice",
      status: { emoji: "🌴", text: "On holiday", expiresAt },
    });
    const members = (await asBob.chats.get({ chatId })).members;
    expect(members.find((m) => m.userId === alice.id)?.status).toMatchObject({
      text: "On holiday",
    });
    expect(members.find((m) => m.userId === bob.id)?.status).toBeNull();

    // Changed, then cleared.
    await asAlice.status.set({ emoji: null, text: "Heads down", expiresAt: null });
    expect((await asBob.users.profile({ userId: alice.id })).status).toEqual({
      emoji: null,
      text: "Heads down",
      expiresAt: null,
    });
    await asAlice.status.clear();
    expect((await asBob.users.profile({ userId: alice.id })).status).toBeNull();
  });

  it("is gone for everyone once it expires, and can be set again", async () => {
    const asAlice = await callerFor(alice);
    await asAlice.status.set({ emoji: "🍽️", text: "Lunch", expiresAt: inAnHour() });
    await database.handle.db
      .update(userStatuses)
      .set({ expiresAt: sql`now() - interval '1 second'` })
      .where(eq(userStatuses.userId, alice.id));
    expect(await asAlice.status.get()).toBeNull();
    expect((await (await callerFor(bob)).users.profile({ userId: alice.id })).status).toBeNull();
    expect(await asAlice.status.set({ emoji: "🏃", text: "", expiresAt: null })).toMatchObject({
      emoji: "🏃",
    });
  });

  it("refuses an empty status, a non-emoji, long or multi-line text, and expiries out of range", async () => {
    const asAlice = await callerFor(alice);
    const bad = [
      { emoji: null, text: "   ", expiresAt: null },
      { emoji: "not an emoji", text: "x", expiresAt: null },
      { emoji: null, text: "x".repeat(101), expiresAt: null },
      { emoji: null, text: "two\nlines", expiresAt: null },
      { emoji: null, text: "late", expiresAt: new Date(Date.now() - 1000) },
      { emoji: null, text: "far", expiresAt: new Date(Date.now() + 400 * 86_400_000) },
    ];
    for (const input of bad) {
      expect(await codeOf(asAlice.status.set(input)), JSON.stringify(input)).toBe("BAD_REQUEST");
    }
  });

  it("is written by its person only, and holds its values in the database too", async () => {
    const as = (who: TestUser, statement: ReturnType<typeof sql>) =>
      outcome(withRls(actorOf(who), (tx) => tx.execute(statement)));
    expect(
      await as(
        mallory,
        sql`insert into public.user_statuses ("userId", text) values (${alice.id}::uuid, 'Forged')`,
      ),
    ).toBe("42501");
    await (await callerFor(alice)).status.set({ emoji: null, text: "Real", expiresAt: null });
    const changed = await withRls(actorOf(mallory), (tx) =>
      tx
        .update(userStatuses)
        .set({ text: "Forged" })
        .where(eq(userStatuses.userId, alice.id))
        .returning({ userId: userStatuses.userId }),
    );
    expect(changed).toEqual([]);
    const removed = await withRls(actorOf(mallory), (tx) =>
      tx
        .delete(userStatuses)
        .where(eq(userStatuses.userId, alice.id))
        .returning({ userId: userStatuses.userId }),
    );
    expect(removed).toEqual([]);
    for (const [emoji, text] of [
      [null, ""],
      [null, "a\u0007b"],
      ["two words", "x"],
    ] as const) {
      expect(
        await as(
          mallory,
          sql`insert into public.user_statuses ("userId", emoji, text) values (${mallory.id}::uuid, ${emoji}, ${text})`,
        ),
      ).toBe("23514");
    }
    expect(
      await as(
        mallory,
        sql`insert into public.user_statuses ("userId", text, "expiresAt", "updatedAt")
            values (${mallory.id}::uuid, 'Old', now() - interval '1 day', now() - interval '1 day')`,
      ),
    ).toBe("22023");
    await withRls(actorOf(mallory), (tx) =>
      tx.execute(
        sql`insert into public.user_statuses ("userId", text, "updatedAt") values (${mallory.id}::uuid, 'Now', '2000-01-01')`,
      ),
    );
    const [stamped] = await database.handle.db
      .select({ updatedAt: userStatuses.updatedAt })
      .from(userStatuses)
      .where(eq(userStatuses.userId, mallory.id));
    expect(stamped!.updatedAt.getTime()).toBeGreaterThan(Date.now() - 60_000);
  });

  it("follows who may see the person: a banned stranger has no profile card", async () => {
    await database.handle.db.update(user).set({ banned: true }).where(eq(user.id, mallory.id));
    expect(await codeOf((await callerFor(bob)).users.profile({ userId: mallory.id }))).toBe(
      "NOT_FOUND",
    );
    const seen = await withRls(actorOf(bob), (tx) =>
      tx.select().from(userStatuses).where(eq(userStatuses.userId, mallory.id)),
    );
    expect(seen).toEqual([]);
  });
});
