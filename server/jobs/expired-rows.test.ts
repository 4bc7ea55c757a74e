import { randomBytes } from "node:crypto";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { queryRows } from "@/db/rows";
import {
  deadLetters,
  devMailbox,
  digestItems,
  pushDeliveries,
  pushSubscriptions,
  session,
  verification,
} from "@/db/schema";
import { useTestDatabase } from "@/test/database";
import { signUp } from "@/test/users";
import { purgeDeadLetters } from "./dead-letters";
import {
  DEV_MAILBOX_RETENTION_DAYS,
  DIGEST_ITEM_RETENTION_DAYS,
  PUSH_DELIVERY_RETENTION_HOURS,
  purgeExpiredRows,
} from "./expired-rows";

const database = useTestDatabase();

describe("purging expired rows", () => {
  it("deletes expired sessions, verifications and old mail, and keeps the live ones", async () => {
    const alice = await signUp("Alice");
    const db = database.handle.db;
    const past = new Date(Date.now() - 60_000);
    const future = new Date(Date.now() + 3_600_000);
    await db
      .insert(session)
      .values([{ userId: alice.id, token: randomBytes(16).toString("hex"), expiresAt: past }]);
    await db.insert(verification).values([
      { identifier: "reset:old", value: "x", expiresAt: past },
      { identifier: "reset:new", value: "y", expiresAt: future },
    ]);
    await db.insert(devMailbox).values([
      {
        to: "a@example.com",
        subject: "old",
        text: "…",
        createdAt: new Date(Date.now() - (DEV_MAILBOX_RETENTION_DAYS + 1) * 86_400_000),
      },
      { to: "a@example.com", subject: "new", text: "…" },
    ]);

    expect(await purgeExpiredRows(db)).toEqual({
      sessions: 1,
      verifications: 1,
      mail: 1,
      digestItems: 0,
      pushDeliveries: 0,
    });

    // Alice's own session (from signing up) is live and stays; so do the fresh rows.
    const left = await queryRows<{ sessions: number; resets: string[]; subjects: string[] }>(
      db,
      sql`select
            (select count(*)::int from public.session where "userId" = ${alice.id}::uuid) as sessions,
            array(select identifier from public.verification where identifier like 'reset:%') as resets,
            array(select subject from public.dev_mailbox where "to" = 'a@example.com') as subjects`,
    );
    expect(left[0]).toEqual({ sessions: 1, resets: ["reset:new"], subjects: ["new"] });
  });

  it("deletes messages held too long for a digest and settled pushes, and keeps the rest", async () => {
    const db = database.handle.db;
    const ann = await signUp("Ann");
    const [chat] = await queryRows<{ id: string }>(
      db,
      sql`insert into public.chats (type, name, "organizationId")
          values ('group', 'Old news', ${ann.organizationId}::uuid) returning id`,
    );
    const inserted = await queryRows<{ id: string }>(
      db,
      sql`insert into public.messages ("chatId", "senderId", seq, content)
          select ${chat!.id}::uuid, ${ann.id}::uuid, 0, 'm' || g from generate_series(1, 4) g
          returning id`,
    );
    const [m1, m2, m3, m4] = inserted.map((r) => r.id);
    const [device] = await db
      .insert(pushSubscriptions)
      .values({
        userId: ann.id,
        endpoint: "https://push.example.test/1",
        p256dh: "B".repeat(87),
        auth: "A".repeat(22),
      })
      .returning({ id: pushSubscriptions.id });
    const longAgo = new Date(Date.now() - (DIGEST_ITEM_RETENTION_DAYS + 1) * 86_400_000);
    await db.insert(digestItems).values([
      { userId: ann.id, messageId: m1!, createdAt: longAgo },
      { userId: ann.id, messageId: m2! },
    ]);
    const settledLongAgo = new Date(Date.now() - (PUSH_DELIVERY_RETENTION_HOURS + 1) * 3_600_000);
    await db.insert(pushDeliveries).values([
      {
        subscriptionId: device!.id,
        userId: ann.id,
        messageId: m1!,
        status: "sent",
        settledAt: settledLongAgo,
      },
      {
        subscriptionId: device!.id,
        userId: ann.id,
        messageId: m2!,
        status: "failed",
        settledAt: settledLongAgo,
      },
      {
        subscriptionId: device!.id,
        userId: ann.id,
        messageId: m3!,
        status: "sent",
        settledAt: new Date(),
      },
      // Still waiting for its push service, however long: never purged.
      { subscriptionId: device!.id, userId: ann.id, messageId: m4!, createdAt: longAgo },
    ]);
    expect(await purgeExpiredRows(db)).toMatchObject({ digestItems: 1, pushDeliveries: 2 });
    expect((await db.select().from(digestItems)).map((d) => d.messageId)).toEqual([m2]);
    expect((await db.select().from(pushDeliveries)).map((d) => d.messageId).sort()).toEqual(
      [m3, m4].sort(),
    );
  });

  it("deletes dead letters past the retention, and keeps the recent ones", async () => {
    const db = database.handle.db;
    await db.insert(deadLetters).values([
      {
        queue: "audit",
        payload: { old: true },
        error: "refused",
        createdAt: new Date(Date.now() - 31 * 86_400_000),
      },
      { queue: "audit", payload: { old: false }, error: "refused" },
    ]);
    expect(await purgeDeadLetters(db, 30)).toBe(1);
    const left = await db.select({ payload: deadLetters.payload }).from(deadLetters);
    expect(left).toEqual([{ payload: { old: false } }]);
  });
});
