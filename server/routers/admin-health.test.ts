import { randomBytes } from "node:crypto";
import type { PGlite } from "@electric-sql/pglite";
import { pg_stat_statements } from "@electric-sql/pglite/contrib/pg_stat_statements";
import { sql, type SQL } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { HEALTH_QUEUES } from "@/contracts/admin-health";
import { openPglite, setDatabase, type DatabaseHandle } from "@/db/client";
import { migrateDatabase } from "@/db/migrate";
import { withRls } from "@/db/rls";
import { queryRows } from "@/db/rows";
import { user } from "@/db/schema";
import type { Tx } from "@/db/types";
import { recordAudit } from "@/server/audit/buffer";
import { startHealthSampling } from "@/server/health/sampler";
import { healthSamples, resetHealthForTests } from "@/server/health/samples";
import { setAside } from "@/server/jobs/dead-letters";
import {
  healthIndexes,
  healthOverview,
  healthStatements,
  healthTables,
} from "@/server/services/admin-health";
import { availableDrivers, useTestDatabase } from "@/test/database";
import { codeOf, outcome } from "@/test/errors";
import { callerFor, signUp, type TestUser } from "@/test/users";

/** Every function of drizzle/0053 a request role could try to call, with arguments. */
const ADMIN_FUNCTIONS: SQL[] = [
  sql`select * from public.admin_health_connections()`,
  sql`select * from public.admin_health_database()`,
  sql`select * from public.admin_health_tables(10)`,
  sql`select * from public.admin_health_indexes(10, false)`,
  sql`select public.admin_health_statements('total', 10)`,
  sql`select * from public.admin_health_queues()`,
];
/** The sampler's own functions: no request role may call them, admins included. */
const SAMPLER_FUNCTIONS: SQL[] = [
  sql`select * from public.health_connection_counts()`,
  sql`select * from public.health_queue_depths()`,
];

function auditEntry(userId: string) {
  return {
    requestCount: 1,
    apiKeyId: null,
    userId,
    actorId: userId,
    endpoint: "/api/v1/me",
    method: "GET",
    statusCode: 200,
    responseTime: 1,
    ipAddress: null,
    userAgent: "vitest",
    details: null,
  };
}

/** A user row written straight to the database: no Better Auth, which serves one database. */
async function insertUser(db: DatabaseHandle["db"], name: string, role: "admin" | "user") {
  const email = `${name.toLowerCase()}-${randomBytes(4).toString("hex")}@example.test`;
  const [row] = await db.insert(user).values({ name, email, role }).returning({ id: user.id });
  return row!.id;
}

async function seedQueues(db: DatabaseHandle["db"], userId: string) {
  await db.execute(
    sql`insert into public.storage_deletions (bucket, path, attempts)
        values ('avatars', 'a/one.png', 0), ('avatars', 'a/two.png', 2)`,
  );
  await setAside(db, "storage_deletions", { bucket: "avatars", path: "x" }, new Error("gone"));
  await setAside(db, "audit", { method: "GET" }, new Error("refused"));
  recordAudit(auditEntry(userId));
}

// Better Auth binds to the first database it meets, so the procedures are called on the
// file's default driver; the functions behind them run on every driver below.
describe("admin.health procedures", () => {
  const database = useTestDatabase();
  let admin: TestUser;
  let alice: TestUser;

  beforeAll(async () => {
    resetHealthForTests();
    admin = await signUp("HealthAdmin", { role: "admin" });
    alice = await signUp("AliceHealth");
    await seedQueues(database.handle.db, alice.id);
  });

  afterAll(() => resetHealthForTests());

  it("gives admins every figure, and a trend of one sample a minute however often read", async () => {
    const asAdmin = await callerFor(admin);
    const health = await asAdmin.admin.health.overview();
    expect(health.database.databaseBytes).toBeGreaterThan(1_000_000);
    expect(health.queues.map((q) => q.queue).sort()).toEqual([...HEALTH_QUEUES].sort());
    expect(health.realtime).toEqual({ source: "none" });
    expect(await asAdmin.admin.health.tables({ limit: 3 })).toHaveLength(3);
    expect((await asAdmin.admin.health.indexes()).length).toBeGreaterThan(0);
    expect((await asAdmin.admin.health.statements()).status).not.toBe("ok");

    const trend = await asAdmin.admin.health.trend();
    expect(trend.everySeconds).toBe(60);
    expect(trend.samples).toHaveLength(1);
    expect(trend.samples[0]).toMatchObject({ queuedJobs: 2, realtimeConnections: null });
    expect(trend.samples[0]!.active).toBeGreaterThanOrEqual(1);
  });

  it("refuses non-admins with FORBIDDEN and the signed-out with UNAUTHORIZED", async () => {
    const asAlice = await callerFor(alice);
    const anonymous = await callerFor(null);
    const procedures = [
      (c: typeof asAlice) => c.admin.health.overview(),
      (c: typeof asAlice) => c.admin.health.trend(),
      (c: typeof asAlice) => c.admin.health.tables(),
      (c: typeof asAlice) => c.admin.health.indexes(),
      (c: typeof asAlice) => c.admin.health.statements(),
    ];
    for (const call of procedures) {
      expect(await codeOf(call(asAlice))).toBe("FORBIDDEN");
      expect(await codeOf(call(anonymous))).toBe("UNAUTHORIZED");
    }
  });

  it("rejects lists out of range", async () => {
    const asAdmin = await callerFor(admin);
    expect(await codeOf(asAdmin.admin.health.tables({ limit: 500 }))).toBe("BAD_REQUEST");
    expect(await codeOf(asAdmin.admin.health.statements({ order: "fastest" as "total" }))).toBe(
      "BAD_REQUEST",
    );
  });

  describe("with the sampler running", () => {
    let stop: (() => void) | undefined;
    afterEach(() => {
      stop?.();
      resetHealthForTests();
    });

    it("charts this process's gateway and audit buffer, and shows them to admins", async () => {
      resetHealthForTests();
      stop = startHealthSampling({
        db: database.handle.db,
        gateway: { stats: () => ({ connections: 3, channels: 5, topics: 2 }) },
        auditPending: () => 7,
        everyMs: 3_600_000,
      });
      await vi.waitFor(() => expect(healthSamples()).toHaveLength(1));
      expect(healthSamples()[0]).toMatchObject({
        realtimeConnections: 3,
        realtimeChannels: 5,
        auditPending: 7,
        queuedJobs: 2,
      });
      const health = await (await callerFor(admin)).admin.health.overview();
      expect(health.realtime).toEqual({
        source: "gateway",
        connections: 3,
        channels: 5,
        topics: 2,
      });
      expect(health.queues.find((q) => q.queue === "audit")?.pending).toBe(7);
    });
  });
});

describe.each(availableDrivers())("the health functions on %s", (driver) => {
  const database = useTestDatabase(driver);
  let admin: string;
  let alice: string;

  beforeAll(async () => {
    resetHealthForTests();
    // useTestDatabase installed this database; Better Auth is still bound to the one above.
    admin = await insertUser(database.handle.db, "FunctionsAdmin", "admin");
    alice = await insertUser(database.handle.db, "FunctionsAlice", "user");
    await seedQueues(database.handle.db, alice);
  });

  afterAll(() => resetHealthForTests());

  const asAdmin = <T>(fn: (tx: Tx) => Promise<T>) => withRls(admin, fn);

  it("gives admins the database's size, connections and cache figures", async () => {
    const health = await asAdmin((tx) => healthOverview(tx));
    expect(health.database.embedded).toBe(driver === "pglite");
    expect(health.database.databaseBytes).toBeGreaterThan(1_000_000);
    expect(health.database.maxConnections).toBeGreaterThan(0);
    expect(health.database.blocksHit).toBeGreaterThan(0);
    expect(health.database.cacheHitRatio).toBeGreaterThan(0);
    expect(health.database.cacheHitRatio).toBeLessThanOrEqual(1);
    // The admin's own transaction is one of the active sessions.
    const active = health.connections.find((c) => c.state === "active");
    expect(active?.connections).toBeGreaterThanOrEqual(1);
    expect(active?.longestTransactionSeconds).toBeGreaterThanOrEqual(0);
    if (driver === "pglite") {
      // PGlite is one connection: the whole answer is that one session.
      expect(health.connections).toEqual([
        expect.objectContaining({ state: "active", connections: 1 }),
      ]);
    }
  });

  it("counts every queue: pending, retried, set aside, and the audit buffer in memory", async () => {
    const { queues } = await asAdmin((tx) => healthOverview(tx));
    expect(queues.map((q) => q.queue).sort()).toEqual([...HEALTH_QUEUES].sort());
    const byQueue = new Map(queues.map((q) => [q.queue, q]));
    expect(byQueue.get("storage_deletions")).toMatchObject({
      pending: 2,
      retrying: 1,
      failedLastDay: null,
      setAside: 1,
    });
    expect(byQueue.get("storage_deletions")?.oldestPendingAt).toBeInstanceOf(Date);
    expect(byQueue.get("audit")?.setAside).toBe(1);
    expect(byQueue.get("audit")?.pending).toBeGreaterThanOrEqual(1);
    // Webhooks keep their failures in their own log, not in dead_letters.
    expect(byQueue.get("webhooks")).toMatchObject({ pending: 0, failedLastDay: 0, setAside: null });
  });

  it("lists the largest tables and the indexes, unused ones apart", async () => {
    const tables = await asAdmin((tx) => healthTables(tx, { limit: 5 }));
    expect(tables).toHaveLength(5);
    const sizes = tables.map((t) => t.totalBytes);
    expect(sizes).toEqual([...sizes].sort((a, b) => b - a));
    for (const t of tables) expect(t.totalBytes).toBeGreaterThanOrEqual(t.tableBytes);

    const indexes = await asAdmin((tx) => healthIndexes(tx, { limit: 100, unusedOnly: false }));
    expect(indexes.length).toBeGreaterThan(10);
    expect(indexes.some((i) => i.unique && !i.unused)).toBe(true);
    const unused = await asAdmin((tx) => healthIndexes(tx, { limit: 100, unusedOnly: true }));
    expect(unused.length).toBeGreaterThan(0);
    for (const i of unused) expect(i).toMatchObject({ scans: 0, unique: false, unused: true });
  });

  it("says whether pg_stat_statements can answer, and how far it got", async () => {
    const before = await asAdmin((tx) => healthStatements(tx, { order: "mean", limit: 10 }));
    // PGlite has no extensions unless it is opened with them (see below).
    expect(before).toEqual({
      status: driver === "pglite" ? "unavailable" : "not_installed",
      statements: [],
    });
    if (driver === "pglite") return;
    await database.handle.db.execute(sql`create extension if not exists pg_stat_statements`);
    const [preload] = await queryRows<{ libraries: string }>(
      database.handle.db,
      sql`select current_setting('shared_preload_libraries') as libraries`,
    );
    const after = await asAdmin((tx) => healthStatements(tx, { order: "total", limit: 10 }));
    expect(after.status).toBe(
      preload?.libraries.includes("pg_stat_statements") ? "ok" : "not_loaded",
    );
  });

  it("refuses a signed-in non-admin inside the functions, and anon at the door", async () => {
    for (const query of ADMIN_FUNCTIONS) {
      expect(await outcome(withRls(alice, (tx) => queryRows(tx, query)))).toBe("42501");
      expect(await outcome(withRls(null, (tx) => queryRows(tx, query)))).toBe("42501");
      expect(await outcome(withRls(admin, (tx) => queryRows(tx, query)))).toBe("ok");
    }
    for (const query of SAMPLER_FUNCTIONS) {
      for (const actor of [admin, alice, null]) {
        expect(await outcome(withRls(actor, (tx) => queryRows(tx, query)))).toBe("42501");
      }
    }
    const grants = await queryRows<{ routine: string; grantee: string }>(
      database.handle.db,
      sql`select routine_name::text as routine, grantee::text as grantee
          from information_schema.routine_privileges
          where routine_schema = 'public'
            and (routine_name like 'admin_health%' or routine_name like 'health_%')
            and grantee in ('PUBLIC', 'anon', 'authenticated')
          order by 1, 2`,
    );
    expect(grants).toEqual(
      [
        "admin_health_connections",
        "admin_health_database",
        "admin_health_indexes",
        "admin_health_queues",
        "admin_health_statements",
        "admin_health_tables",
      ].map((routine) => ({ routine, grantee: "authenticated" })),
    );
  });

  it("refuses limits out of range", async () => {
    const direct = withRls(admin, (tx) =>
      queryRows(tx, sql`select public.admin_health_statements('fastest', 10)`),
    );
    expect(await outcome(direct)).toBe("22023");
    const tooMany = withRls(admin, (tx) =>
      queryRows(tx, sql`select * from public.admin_health_tables(1000)`),
    );
    expect(await outcome(tooMany)).toBe("22023");
  });
});

/**
 * PGlite can load pg_stat_statements itself: the one place here where the statements list
 * answers, so the query the function builds at run time is run for real.
 */
describe("the statements list with pg_stat_statements loaded (PGlite)", () => {
  let client: PGlite;
  let admin: string;

  beforeAll(async () => {
    const handle = openPglite(undefined, { pg_stat_statements });
    client = handle.pglite!;
    const db = handle.db;
    await migrateDatabase(handle);
    setDatabase(handle);
    await client.exec("create extension pg_stat_statements");
    admin = await insertUser(db, "StatementsAdmin", "admin");
  });

  afterAll(async () => {
    await client.close();
  });

  it("lists the slowest statements, normalized, and never a utility statement's text", async () => {
    await client.exec(`select count(*) from public."user" where name = 'swordfish'`);
    await client.exec(`create temporary table scratch (secret text default 'marlin')`);
    const result = await withRls(admin, (tx) =>
      healthStatements(tx, { order: "total", limit: 100 }),
    );
    expect(result.status).toBe("ok");
    expect(result.statements.length).toBeGreaterThan(0);
    const totals = result.statements.map((s) => s.totalMs);
    expect(totals).toEqual([...totals].sort((a, b) => b - a));
    const text = JSON.stringify(result);
    expect(result.statements.map((s) => s.query)).toContainEqual(
      expect.stringContaining('from public."user" where name = $1'),
    );
    expect(text).not.toContain("swordfish");
    expect(text).not.toContain("marlin");

    const byMean = await withRls(admin, (tx) => healthStatements(tx, { order: "mean", limit: 3 }));
    expect(byMean.statements.length).toBeLessThanOrEqual(3);
    const means = byMean.statements.map((s) => s.meanMs);
    expect(means).toEqual([...means].sort((a, b) => b - a));
  });
});
