import { eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { apiAuditLogs, apiKeys } from "@/db/schema";
import { hashApiKey, parseApiKey } from "@/server/services/api-key-format";
import { verifyApiKey } from "@/server/services/verify-api-key";
import { recordAudit } from "@/server/audit/buffer";
import { createAuditFlusher } from "@/server/jobs/audit-flush";
import { purgeAuditLogs } from "@/server/jobs/audit-retention";
import { useTestDatabase } from "@/test/database";
import { codeOf } from "@/test/errors";
import { callerFor, signUp, type TestUser } from "@/test/users";

const database = useTestDatabase();

describe("API keys", () => {
  let alice: TestUser;
  let bob: TestUser;
  let admin: TestUser;
  const flush = () => createAuditFlusher(database.handle.db).flush();

  beforeAll(async () => {
    alice = await signUp("Alice");
    bob = await signUp("Bob");
    admin = await signUp("Admin", { role: "admin" });
  });

  it("creates a key whose secret is shown once and never stored", async () => {
    const api = await callerFor(alice);
    const { apiKey, secret } = await api.apiKeys.create({
      name: "CI",
      scopes: ["profile:read", "profile:read"],
    });
    expect(secret).toMatch(/^prl_[0-9A-Za-z]{8}_[0-9A-Za-z]{40}$/);
    expect(parseApiKey(secret)?.prefix).toBe(apiKey.prefix);
    expect(apiKey.scopes).toEqual(["profile:read"]);
    expect((await api.apiKeys.list()).map((k) => k.id)).toContain(apiKey.id);

    const [stored] = await database.handle.db
      .select()
      .from(apiKeys)
      .where(eq(apiKeys.id, apiKey.id));
    expect(stored?.key).toBe(hashApiKey(secret));
    const everything = await database.handle.db.execute(sql`select * from api_keys`);
    expect(JSON.stringify(everything)).not.toContain(secret.split("_")[2]);
    await flush();
    const audit = await database.handle.db.select().from(apiAuditLogs);
    expect(JSON.stringify(audit)).not.toContain(secret.split("_")[2]);
  });

  it("verifies a key: valid, wrong secret, revoked, expired, banned owner", async () => {
    const api = await callerFor(bob);
    const { apiKey, secret } = await api.apiKeys.create({ name: "script", scopes: ["chats:read"] });
    expect(await verifyApiKey(secret)).toMatchObject({
      keyId: apiKey.id,
      userId: bob.id,
      scopes: ["chats:read"],
    });
    const forged = `${secret.slice(0, -1)}${secret.endsWith("a") ? "b" : "a"}`;
    expect(await codeOf(verifyApiKey(forged))).toBe("UNAUTHORIZED");
    expect(await codeOf(verifyApiKey("prl_short"))).toBe("UNAUTHORIZED");

    await database.handle.db
      .update(apiKeys)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(apiKeys.id, apiKey.id));
    expect(await codeOf(verifyApiKey(secret))).toBe("UNAUTHORIZED");
    await database.handle.db
      .update(apiKeys)
      .set({ expiresAt: null })
      .where(eq(apiKeys.id, apiKey.id));

    await database.handle.db.execute(
      sql`update "user" set banned = true where id = ${bob.id}::uuid`,
    );
    expect(await codeOf(verifyApiKey(secret))).toBe("FORBIDDEN");
    await database.handle.db.execute(
      sql`update "user" set banned = false where id = ${bob.id}::uuid`,
    );

    await api.apiKeys.revoke({ id: apiKey.id });
    expect(await codeOf(verifyApiKey(secret))).toBe("UNAUTHORIZED");
  });

  it("rotates: the old key works through the grace period, the new one at once", async () => {
    const api = await callerFor(alice);
    const { apiKey, secret } = await api.apiKeys.create({
      name: "deploy",
      scopes: ["metas:read"],
      rateLimit: 60,
    });
    const rotated = await api.apiKeys.rotate({ id: apiKey.id, graceHours: 2 });
    expect(rotated.apiKey).toMatchObject({ name: "deploy", scopes: ["metas:read"], rateLimit: 60 });
    expect(rotated.previous.expiresAt!.getTime()).toBeGreaterThan(Date.now() + 3_500_000);
    await expect(verifyApiKey(secret)).resolves.toMatchObject({ keyId: apiKey.id });
    await expect(verifyApiKey(rotated.secret)).resolves.toMatchObject({ keyId: rotated.apiKey.id });

    // After the grace period the old key is refused.
    await database.handle.db
      .update(apiKeys)
      .set({ expiresAt: new Date(Date.now() - 1) })
      .where(eq(apiKeys.id, apiKey.id));
    expect(await codeOf(verifyApiKey(secret))).toBe("UNAUTHORIZED");

    const immediate = await api.apiKeys.rotate({ id: rotated.apiKey.id, graceHours: 0 });
    expect(immediate.previous.revoked).toBe(true);
    expect(await codeOf(api.apiKeys.rotate({ id: rotated.apiKey.id, graceHours: 1 }))).toBe(
      "BAD_REQUEST",
    );
  });

  it("keeps keys private to their owner; admins list and revoke any", async () => {
    const { apiKey } = await (
      await callerFor(alice)
    ).apiKeys.create({ name: "private", scopes: ["audit:read"] });
    const asBob = await callerFor(bob);
    expect((await asBob.apiKeys.list()).map((k) => k.id)).not.toContain(apiKey.id);
    expect(await codeOf(asBob.apiKeys.revoke({ id: apiKey.id }))).toBe("NOT_FOUND");
    expect(await codeOf(asBob.admin.apiKeys.list())).toBe("FORBIDDEN");

    const asAdmin = await callerFor(admin);
    const listed = await asAdmin.admin.apiKeys.list({
      userId: alice.id,
      status: "active",
      limit: 50,
    });
    expect(listed.items.find((k) => k.id === apiKey.id)).toMatchObject({
      ownerName: "Alice",
      ownerEmail: alice.email,
    });
    const revoked = await asAdmin.admin.apiKeys.revoke({ id: apiKey.id });
    expect(revoked).toMatchObject({ revoked: true, userId: alice.id });

    // Alice sees in her own trail that an admin revoked her key.
    await flush();
    const trail = await (await callerFor(alice)).audit.list({ method: "TRPC", limit: 50 });
    expect(trail.items.find((r) => r.endpoint === "admin.apiKeys.revoke")).toMatchObject({
      userId: alice.id,
      actorId: admin.id,
      apiKeyId: apiKey.id,
      statusCode: 200,
      details: { action: "api_key.revoked", byAdmin: true },
    });
  });

  it("audits failed security mutations too", async () => {
    const asBob = await callerFor(bob);
    await codeOf(asBob.apiKeys.revoke({ id: crypto.randomUUID() }));
    await flush();
    const trail = await asBob.audit.list({ endpoint: "apiKeys.revoke", status: "4xx", limit: 50 });
    expect(trail.items[0]).toMatchObject({ statusCode: 404, apiKeyId: null, actorId: bob.id });
  });

  it("expires a key at a chosen date, which rotation keeps", async () => {
    const api = await callerFor(alice);
    const at = new Date(Date.now() + 10 * 86_400_000);
    const { apiKey } = await api.apiKeys.create({
      name: "dated",
      scopes: ["profile:read"],
      expiresAt: at,
    });
    expect(apiKey.expiresAt?.getTime()).toBe(at.getTime());
    const rotated = await api.apiKeys.rotate({ id: apiKey.id, graceHours: 1 });
    expect(rotated.apiKey.expiresAt?.getTime()).toBe(at.getTime());

    const past = new Date(Date.now() - 60_000);
    expect(
      await codeOf(api.apiKeys.create({ name: "x", scopes: ["profile:read"], expiresAt: past })),
    ).toBe("BAD_REQUEST");
    expect(
      await codeOf(
        api.apiKeys.create({
          name: "x",
          scopes: ["profile:read"],
          expiresAt: new Date(Date.now() + 3651 * 86_400_000),
        }),
      ),
    ).toBe("BAD_REQUEST");
    expect(
      await codeOf(
        api.apiKeys.create({
          name: "x",
          scopes: ["profile:read"],
          expiresAt: at,
          expiresInDays: 3,
        }),
      ),
    ).toBe("BAD_REQUEST");
    expect((await api.apiKeys.list()).filter((k) => k.name === "x")).toEqual([]);
  });

  it("lets admins find keys by their owner's name or email, and nobody else", async () => {
    const carol = await signUp("Carol Searchable", {
      email: `carol-${crypto.randomUUID().slice(0, 8)}@example.test`,
    });
    const { apiKey } = await (
      await callerFor(carol)
    ).apiKeys.create({ name: "carol-tool", scopes: ["chats:read"] });
    const asAdmin = await callerFor(admin);
    for (const search of [carol.email.toUpperCase(), "searchable", apiKey.prefix]) {
      const found = await asAdmin.admin.apiKeys.list({ search, direction: "forward", limit: 50 });
      expect(found.items.map((k) => k.id)).toEqual([apiKey.id]);
    }
    // Wildcards are literal: "%" matches no name with a percent sign.
    expect((await asAdmin.admin.apiKeys.list({ search: "%", limit: 50 })).items).toEqual([]);
    expect(
      await codeOf((await callerFor(carol)).admin.apiKeys.list({ search: "a", limit: 50 })),
    ).toBe("FORBIDDEN");
    expect(await codeOf((await callerFor(null)).admin.apiKeys.list())).toBe("UNAUTHORIZED");
  });

  it("refuses bad input", async () => {
    const api = await callerFor(alice);
    expect(await codeOf(api.apiKeys.create({ name: "", scopes: ["profile:read"] }))).toBe(
      "BAD_REQUEST",
    );
    expect(await codeOf(api.apiKeys.create({ name: "x", scopes: [] }))).toBe("BAD_REQUEST");
    expect(
      await codeOf(api.apiKeys.create({ name: "x", scopes: ["root" as "profile:read"] })),
    ).toBe("BAD_REQUEST");
    expect(
      await codeOf(
        api.apiKeys.create({ name: "x", scopes: ["profile:read"], rateLimit: 1_000_000 }),
      ),
    ).toBe("BAD_REQUEST");
    expect(
      await codeOf(api.apiKeys.create({ name: "x", scopes: ["profile:read"], rateLimit: 601 })),
    ).toBe("BAD_REQUEST");
    expect(await codeOf(api.apiKeys.rotate({ id: crypto.randomUUID(), graceHours: 169 }))).toBe(
      "BAD_REQUEST",
    );
  });

  it("reports usage per day with status classes and latency percentiles", async () => {
    const { apiKey } = await (
      await callerFor(bob)
    ).apiKeys.create({ name: "usage", scopes: ["profile:read"] });
    for (const [status, ms] of [
      [200, 10],
      [200, 30],
      [404, 20],
      [500, 40],
    ] as const) {
      recordAudit({
        apiKeyId: apiKey.id,
        userId: bob.id,
        actorId: bob.id,
        endpoint: "/api/v1/me",
        method: "GET",
        statusCode: status,
        responseTime: ms,
        ipAddress: null,
        userAgent: null,
        details: null,
      });
    }
    await flush();
    const usage = await (
      await callerFor(bob)
    ).apiKeys.usage({
      id: apiKey.id,
      from: new Date(Date.now() - 86_400_000),
      to: new Date(Date.now() + 60_000),
    });
    expect(usage.totals).toMatchObject({
      requests: 4,
      success: 2,
      clientErrors: 1,
      serverErrors: 1,
      p50: 25,
    });
    expect(usage.days).toHaveLength(1);
    const range = { from: new Date(Date.now() - 86_400_000), to: new Date() };
    expect(await codeOf((await callerFor(alice)).apiKeys.usage({ id: apiKey.id, ...range }))).toBe(
      "NOT_FOUND",
    );
    expect(
      await codeOf((await callerFor(bob)).apiKeys.usage({ from: new Date(0), to: new Date() })),
    ).toBe("BAD_REQUEST");
  });
});

describe("audit flush and retention", () => {
  let carol: TestUser;
  beforeAll(async () => {
    carol = await signUp("Carol");
  });

  const entry = (endpoint: string, extra: Partial<Parameters<typeof recordAudit>[0]> = {}) =>
    recordAudit({
      apiKeyId: null,
      userId: carol.id,
      actorId: carol.id,
      endpoint,
      method: "GET",
      statusCode: 200,
      responseTime: 1,
      ipAddress: "203.0.113.1",
      userAgent: "test",
      details: null,
      ...extra,
    });

  it("writes exactly what was queued, in batches, once stopped", async () => {
    const flusher = createAuditFlusher(database.handle.db, { batchSize: 7, intervalMs: 60_000 });
    flusher.start();
    for (let i = 0; i < 25; i++) entry(`/burst/${i}`);
    await flusher.stop();
    const rows = await database.handle.db
      .select({ n: sql<number>`count(*)::int` })
      .from(apiAuditLogs)
      .where(sql`${apiAuditLogs.endpoint} like '/burst/%'`);
    expect(rows[0]?.n).toBe(25);
  });

  it("keeps a row whose key was deleted meanwhile, without the link", async () => {
    entry("/orphan", { apiKeyId: crypto.randomUUID() });
    await createAuditFlusher(database.handle.db).flush();
    const [row] = await database.handle.db
      .select()
      .from(apiAuditLogs)
      .where(eq(apiAuditLogs.endpoint, "/orphan"));
    expect(row).toMatchObject({ apiKeyId: null, statusCode: 200 });
  });

  it("purges rows older than the retention period", async () => {
    entry("/ancient", { createdAt: new Date(Date.now() - 100 * 86_400_000) });
    entry("/recent");
    await createAuditFlusher(database.handle.db).flush();
    expect(await purgeAuditLogs(database.handle.db, 90)).toBeGreaterThanOrEqual(1);
    const left = await database.handle.db
      .select({ endpoint: apiAuditLogs.endpoint })
      .from(apiAuditLogs)
      .where(sql`${apiAuditLogs.endpoint} in ('/ancient', '/recent')`);
    expect(left).toEqual([{ endpoint: "/recent" }]);
  });
});
