import { randomBytes } from "node:crypto";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { queryRows } from "@/db/rows";
import { deadLetters, devMailbox, session, verification } from "@/db/schema";
import { useTestDatabase } from "@/test/database";
import { signUp } from "@/test/users";
import { purgeDeadLetters } from "./dead-letters";
import { DEV_MAILBOX_RETENTION_DAYS, purgeExpiredRows } from "./expired-rows";

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

    expect(await purgeExpiredRows(db)).toEqual({ sessions: 1, verifications: 1, mail: 1 });

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
