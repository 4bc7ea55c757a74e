import { eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { queryRows } from "@/db/rows";
import { withRls } from "@/db/rls";
import { messages, user } from "@/db/schema";
import { recordAudit } from "@/server/audit/buffer";
import { createAuditFlusher } from "@/server/jobs/audit-flush";
import { useTestDatabase } from "@/test/database";
import { codeOf, outcome } from "@/test/errors";
import { callerFor, signUp, type TestUser, actorOf } from "@/test/users";

const database = useTestDatabase();
const SECRET_TEXT = "the launch code is swordfish";
const DAY_MS = 86_400_000;
const utcDay = (offset: number) =>
  new Date(Date.now() - offset * DAY_MS).toISOString().slice(0, 10);

describe("admin.stats.overview", () => {
  let admin: TestUser;
  let alice: TestUser;
  let bob: TestUser;

  beforeAll(async () => {
    admin = await signUp("StatsAdmin", { role: "admin" });
    alice = await signUp("AliceStats");
    bob = await signUp("BobStats");
    // Alice joined 3 days ago (one new user then, none on the days around it).
    await database.handle.db
      .update(user)
      .set({ createdAt: new Date(Date.now() - 3 * DAY_MS) })
      .where(eq(user.id, alice.id));

    const chat = await (await callerFor(alice)).chats.createDirect({ userId: bob.id });
    const asAlice = await callerFor(alice);
    await asAlice.messages.send({ chatId: chat.id, content: SECRET_TEXT });
    await asAlice.messages.send({ chatId: chat.id, content: "second" });
    const old = await asAlice.messages.send({ chatId: chat.id, content: "from two days ago" });
    await database.handle.db
      .update(messages)
      .set({ createdAt: new Date(Date.now() - 2 * DAY_MS) })
      .where(eq(messages.id, old.id));

    const request = (statusCode: number, method = "GET", daysAgo = 0, requestCount = 1) =>
      recordAudit({
        requestCount,
        apiKeyId: null,
        userId: alice.id,
        actorId: alice.id,
        endpoint: "/api/v1/me",
        method,
        statusCode,
        responseTime: 3,
        ipAddress: null,
        userAgent: "vitest",
        details: null,
        createdAt: new Date(Date.now() - daysAgo * DAY_MS),
      });
    request(200);
    request(200);
    request(404);
    request(401, "GET", 0, 40); // forty requests without a valid key, in one row
    request(500, "POST", 1);
    request(200, "TRPC"); // an action, not an API request
    request(200, "GET", 40); // outside the window
    await createAuditFlusher(database.handle.db).flush();
  });

  it("gives admins every day of the window, quiet days as zero", async () => {
    const overview = await (await callerFor(admin)).admin.stats.overview({ days: 30 });
    expect(overview.days).toHaveLength(30);
    expect(overview.days.at(-1)?.day).toBe(utcDay(0));
    expect(overview.days[0]?.day).toBe(utcDay(29));
    const byDay = new Map(overview.days.map((d) => [d.day, d]));

    expect(byDay.get(utcDay(0))).toMatchObject({
      messages: 2,
      success: 2,
      clientErrors: 41,
      serverErrors: 0,
    });
    expect(byDay.get(utcDay(1))).toMatchObject({ messages: 0, serverErrors: 1, success: 0 });
    expect(byDay.get(utcDay(2))).toMatchObject({ messages: 1, success: 0 });
    expect(byDay.get(utcDay(3))?.newUsers).toBe(1);
    expect(byDay.get(utcDay(0))?.newUsers).toBe(2);
    expect(byDay.get(utcDay(10))).toEqual({
      day: utcDay(10),
      messages: 0,
      newUsers: 0,
      success: 0,
      clientErrors: 0,
      serverErrors: 0,
    });

    expect(overview.users).toEqual({ total: 3, newThisWeek: 3 });
    expect(overview.messages).toEqual({ today: 2, last7Days: 3 });
    expect(overview.requests).toEqual({ last7Days: 44, errors7Days: 42, errorRate: 42 / 44 });
  });

  it("never hands an admin a message's text", async () => {
    const overview = await (await callerFor(admin)).admin.stats.overview();
    expect(JSON.stringify(overview)).not.toContain("swordfish");
    // Counting is all an admin can do with messages: the rows themselves stay hidden.
    const rows = await withRls(actorOf(admin), (tx) =>
      queryRows<{ content: string }>(tx, sql`select content from public.messages`),
    );
    expect(rows).toEqual([]);
  });

  it("refuses everyone else, in the API and in the database", async () => {
    expect(await codeOf((await callerFor(alice)).admin.stats.overview())).toBe("FORBIDDEN");
    expect(await codeOf((await callerFor(null)).admin.stats.overview())).toBe("UNAUTHORIZED");
    const direct = withRls(actorOf(alice), (tx) =>
      queryRows(tx, sql`select * from public.admin_message_counts(current_date - 7, current_date)`),
    );
    expect(await outcome(direct)).toBe("42501");
    const anon = withRls(null, (tx) =>
      queryRows(tx, sql`select * from public.admin_message_counts(current_date, current_date)`),
    );
    expect(await outcome(anon)).toBe("42501");
  });

  it("rejects windows out of range", async () => {
    const asAdmin = await callerFor(admin);
    expect(await codeOf(asAdmin.admin.stats.overview({ days: 500 }))).toBe("BAD_REQUEST");
    const reversed = withRls(actorOf(admin), (tx) =>
      queryRows(tx, sql`select * from public.admin_message_counts(current_date, current_date - 1)`),
    );
    expect(await outcome(reversed)).toBe("22023");
  });
});
