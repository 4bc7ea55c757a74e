import { eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { withRls } from "@/db/rls";
import { userLastSeen, userPresence } from "@/db/schema";
import { useTestDatabase } from "@/test/database";
import { codeOf, outcome } from "@/test/errors";
import { callerFor, signUp, type TestUser, actorOf } from "@/test/users";

const database = useTestDatabase();

describe("local time and last seen", () => {
  let alice: TestUser;
  let bob: TestUser;
  let carol: TestUser;

  beforeAll(async () => {
    alice = await signUp("Alice");
    bob = await signUp("Bob");
    carol = await signUp("Carol");
    await (await callerFor(alice)).chats.createDirect({ userId: bob.id });
    // The gateway's record of when each was last online (server/realtime/last-seen.ts).
    await database.handle.db.insert(userLastSeen).values([
      { userId: alice.id, lastSeenAt: new Date("2026-12-01T09:30:00Z") },
      { userId: bob.id, lastSeenAt: new Date("2026-12-01T10:00:00Z") },
    ]);
  });

  it("keeps a person's time zone while they share their local time, and shows it", async () => {
    const asAlice = await callerFor(alice);
    expect(await asAlice.presence.settings()).toEqual({
      timeZone: null,
      shareLocalTime: true,
      showLastSeen: true,
    });
    expect(await asAlice.presence.update({ timeZone: "Europe/Berlin" })).toMatchObject({
      timeZone: "Europe/Berlin",
    });
    const asBob = await callerFor(bob);
    expect(await asBob.users.profile({ userId: alice.id })).toMatchObject({
      timeZone: "Europe/Berlin",
      lastSeenAt: new Date("2026-12-01T09:30:00Z"),
    });
    // Not sharing it drops the zone; a zone sent meanwhile is not kept.
    await asAlice.presence.update({ shareLocalTime: false });
    expect(await asAlice.presence.update({ timeZone: "Asia/Tokyo" })).toMatchObject({
      timeZone: null,
      shareLocalTime: false,
    });
    expect((await asBob.users.profile({ userId: alice.id })).timeZone).toBeNull();
    await asAlice.presence.update({ shareLocalTime: true, timeZone: "Asia/Tokyo" });
    expect((await asBob.users.profile({ userId: alice.id })).timeZone).toBe("Asia/Tokyo");
  });

  it("refuses a zone nobody knows, in the contract and in the database", async () => {
    const asAlice = await callerFor(alice);
    expect(await codeOf(asAlice.presence.update({ timeZone: "Mars/Olympus_Mons" }))).toBe(
      "BAD_REQUEST",
    );
    expect(
      await outcome(
        withRls(actorOf(alice), (tx) =>
          tx.execute(
            sql`update public.user_presence set "timeZone" = 'Mars/Olympus_Mons' where "userId" = ${alice.id}::uuid`,
          ),
        ),
      ),
    ).toBe("22023");
    expect((await asAlice.presence.settings()).timeZone).toBe("Asia/Tokyo");
  });

  it("shows last seen two-way: whoever hides theirs sees nobody's", async () => {
    const [asAlice, asBob] = await Promise.all([callerFor(alice), callerFor(bob)]);
    expect((await asAlice.chats.list()).items).toHaveLength(1);
    const chatId = (await asAlice.chats.list()).items[0]!.id;
    const bobInChat = async () =>
      (await asAlice.chats.get({ chatId })).members.find((m) => m.userId === bob.id)!;
    expect((await bobInChat()).lastSeenAt).toEqual(new Date("2026-12-01T10:00:00Z"));

    await asBob.presence.update({ showLastSeen: false });
    expect((await bobInChat()).lastSeenAt).toBeNull();
    expect((await asAlice.users.profile({ userId: bob.id })).lastSeenAt).toBeNull();
    // Bob, who hides his, no longer sees Alice's either.
    expect((await asBob.users.profile({ userId: alice.id })).lastSeenAt).toBeNull();
    await asBob.presence.update({ showLastSeen: true });
    expect((await asBob.users.profile({ userId: alice.id })).lastSeenAt).not.toBeNull();
  });

  it("lets nobody write another's choices or anyone's last seen", async () => {
    await (await callerFor(carol)).presence.update({ timeZone: "UTC" });
    const denied = await outcome(
      withRls(actorOf(alice), (tx) =>
        tx.execute(
          sql`insert into public.user_last_seen ("userId", "lastSeenAt") values (${alice.id}::uuid, now())`,
        ),
      ),
    );
    expect(denied).toBe("42501");
    // Someone else's row is out of reach of an update: it changes nothing.
    await withRls(actorOf(alice), (tx) =>
      tx.execute(
        sql`update public.user_presence set "showLastSeen" = false where "userId" = ${carol.id}::uuid`,
      ),
    );
    expect((await (await callerFor(carol)).presence.settings()).showLastSeen).toBe(true);
    expect(
      await outcome(
        withRls(actorOf(alice), (tx) =>
          tx.execute(
            sql`insert into public.user_presence ("userId", "timeZone") values (${carol.id}::uuid, 'UTC')`,
          ),
        ),
      ),
    ).toBe("42501");
    // The time of a change is the database's, whatever the writer sends.
    const [stamped] = await withRls(actorOf(carol), (tx) =>
      tx
        .update(userPresence)
        .set({ updatedAt: new Date("2000-01-01T00:00:00Z") })
        .where(eq(userPresence.userId, carol.id))
        .returning({ updatedAt: userPresence.updatedAt }),
    );
    expect(stamped!.updatedAt.getTime()).toBeGreaterThan(Date.now() - 60_000);
  });
});
