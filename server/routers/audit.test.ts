import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { apiAuditLogs } from "@/db/schema/audit";
import { recordAudit } from "@/server/audit/buffer";
import { createAuditFlusher } from "@/server/jobs/audit-flush";
import { useTestDatabase } from "@/test/database";
import { codeOf } from "@/test/errors";
import { callerFor, signUp, type TestUser } from "@/test/users";

const database = useTestDatabase();

describe("audit log lists", () => {
  let alice: TestUser;
  let bob: TestUser;
  let admin: TestUser;
  let aliceKeyId: string;

  beforeAll(async () => {
    alice = await signUp("Alice Audit", {
      email: `alice-${crypto.randomUUID().slice(0, 8)}@example.test`,
    });
    bob = await signUp("Bob Audit", {
      email: `bob-${crypto.randomUUID().slice(0, 8)}@example.test`,
    });
    admin = await signUp("Admin", { role: "admin" });
    const { apiKey } = await (
      await callerFor(alice)
    ).apiKeys.create({ name: "alice-cli", scopes: ["profile:read"] });
    aliceKeyId = apiKey.id;
    const entry = (who: TestUser, endpoint: string, apiKeyId: string | null, statusCode = 200) =>
      recordAudit({
        apiKeyId,
        userId: who.id,
        actorId: who.id,
        endpoint,
        method: "GET",
        statusCode,
        responseTime: 5,
        ipAddress: "203.0.113.9",
        userAgent: "vitest",
        details: null,
      });
    entry(alice, "/api/v1/me", aliceKeyId);
    entry(alice, "/api/v1/chats", aliceKeyId, 403);
    entry(bob, "/api/v1/bob-secret", null);
    await createAuditFlusher(database.handle.db).flush();
  });

  it("labels my rows with my key's name and prefix, and shows only mine", async () => {
    const page = await (await callerFor(alice)).audit.list({ method: "GET", limit: 50 });
    expect(page.items.map((r) => r.endpoint).sort()).toEqual(["/api/v1/chats", "/api/v1/me"]);
    expect(page.items[0]?.keyPrefix).toMatch(/^[0-9A-Za-z]{8}$/);
    expect(page.items[0]).toMatchObject({
      keyName: "alice-cli",

      userName: "Alice Audit",
      userEmail: alice.email,
    });
    const filtered = await (
      await callerFor(alice)
    ).audit.list({ apiKeyId: aliceKeyId, status: "4xx", limit: 50 });
    expect(filtered.items.map((r) => r.endpoint)).toEqual(["/api/v1/chats"]);
  });

  it("never shows a user someone else's rows, even when asked for them", async () => {
    const asBob = await callerFor(bob);
    const mine = await asBob.audit.list({ method: "GET", limit: 50 });
    expect(mine.items.map((r) => r.endpoint)).toEqual(["/api/v1/bob-secret"]);
    expect((await asBob.audit.list({ apiKeyId: aliceKeyId, limit: 50 })).items).toEqual([]);
    // The user filters exist only on the admin list.
    expect(
      await codeOf(asBob.audit.list({ userId: alice.id, limit: 50 } as { limit: number })),
    ).toBe("BAD_REQUEST");
    expect(await codeOf(asBob.admin.audit.list({ userId: alice.id, limit: 50 }))).toBe("FORBIDDEN");
    expect(await codeOf((await callerFor(null)).audit.list())).toBe("UNAUTHORIZED");
  });

  it("gives admins the whole log, narrowed by user id or name/email", async () => {
    const asAdmin = await callerFor(admin);
    const all = await asAdmin.admin.audit.list({ method: "GET", limit: 50 });
    expect(all.items.map((r) => r.endpoint).sort()).toEqual([
      "/api/v1/bob-secret",
      "/api/v1/chats",
      "/api/v1/me",
    ]);
    const bobRow = all.items.find((r) => r.userId === bob.id);
    expect(bobRow).toMatchObject({ userName: "Bob Audit", userEmail: bob.email, keyName: null });
    const byName = await asAdmin.admin.audit.list({ user: "bob aud", method: "GET", limit: 50 });
    expect(byName.items.map((r) => r.endpoint)).toEqual(["/api/v1/bob-secret"]);
    const byEmail = await asAdmin.admin.audit.list({ user: alice.email, method: "GET", limit: 50 });
    expect(byEmail.items).toHaveLength(2);
    const byId = await asAdmin.admin.audit.list({
      userId: bob.id,
      method: "GET",
      direction: "forward",
      limit: 50,
    });
    expect(byId.items.map((r) => r.userId)).toEqual([bob.id]);
    expect((await asAdmin.admin.audit.list({ user: "%", limit: 50 })).items).toEqual([]);
  });

  it("pages with the cursor without repeating or skipping rows", async () => {
    const asAlice = await callerFor(alice);
    const first = await asAlice.audit.list({ method: "GET", limit: 1 });
    expect(first.nextCursor).not.toBeNull();
    // As the app's infinite query asks for it: with the paging direction tRPC adds.
    const second = await asAlice.audit.list({
      method: "GET",
      limit: 1,
      cursor: first.nextCursor ?? undefined,
      direction: "forward",
    });
    expect(second.nextCursor).toBeNull();
    expect([...first.items, ...second.items].map((r) => r.endpoint).sort()).toEqual([
      "/api/v1/chats",
      "/api/v1/me",
    ]);
  });

  it("pages through rows written within one millisecond without skipping any", async () => {
    const carol = await signUp("Carol Audit", {
      email: `carol-${crypto.randomUUID().slice(0, 8)}@example.test`,
    });
    // Microseconds apart in the same millisecond, newest first by time, not by id.
    const times = ["000900", "000500", "000100"].map((us) => `2026-01-01T00:00:00.${us}Z`);
    await database.handle.db.insert(apiAuditLogs).values(
      times.map((at, i) => ({
        userId: carol.id,
        actorId: carol.id,
        endpoint: `/api/v1/same-ms/${i}`,
        method: "GET",
        statusCode: 200,
        responseTime: 1,
        createdAt: sql`${at}::timestamptz`,
      })),
    );
    const asCarol = await callerFor(carol);
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await asCarol.audit.list({ limit: 1, ...(cursor ? { cursor } : {}) });
      seen.push(...page.items.map((r) => r.endpoint));
      cursor = page.nextCursor ?? undefined;
    } while (cursor && seen.length < 10);
    expect(seen).toEqual(["/api/v1/same-ms/0", "/api/v1/same-ms/1", "/api/v1/same-ms/2"]);
  });
});
