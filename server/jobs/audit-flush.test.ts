import { eq, sql } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { openPostgres, type DatabaseHandle } from "@/db/client";
import { apiAuditLogs, deadLetters } from "@/db/schema";
import {
  pendingAudit,
  recordAudit,
  returnAudit,
  setAuditCapacityForTests,
  takeAudit,
  takeShedCount,
  type AuditEntry,
} from "@/server/audit/buffer";
import { useTestDatabase } from "@/test/database";
import { createAuditFlusher } from "./audit-flush";

const database = useTestDatabase();

const entry = (endpoint: string, extra: Partial<AuditEntry> = {}) => ({
  apiKeyId: null,
  userId: null,
  actorId: null,
  endpoint,
  method: "GET",
  statusCode: 200,
  responseTime: 3,
  ipAddress: "127.0.0.1",
  userAgent: "test",
  details: null,
  ...extra,
});

async function written(prefix: string): Promise<string[]> {
  const rows = await database.handle.db
    .select({ endpoint: apiAuditLogs.endpoint })
    .from(apiAuditLogs)
    .where(sql`${apiAuditLogs.endpoint} like ${`${prefix}%`}`)
    .orderBy(apiAuditLogs.createdAt, apiAuditLogs.endpoint);
  return rows.map((r) => r.endpoint);
}

describe("the audit queue and its flusher", () => {
  let unreachable: DatabaseHandle;
  beforeAll(() => {
    // Nothing listens on port 1: as a database that is down.
    unreachable = openPostgres("postgres://parley@127.0.0.1:1/parley", { max: 1 });
  });
  afterAll(() => unreachable.close());
  afterEach(() => {
    setAuditCapacityForTests(undefined);
    takeAudit(Number.MAX_SAFE_INTEGER);
    takeShedCount();
  });

  it("writes a request's values the columns would refuse as values they accept", async () => {
    // Unchecked input of the kind Better Auth's after-hook saw: an id that is no UUID, NUL
    // bytes, an oversized user agent.
    recordAudit(
      entry("/poison/a\u0000", {
        userId: "not-a-uuid",
        userAgent: "x".repeat(10_000),
        details: { action: "admin.ban-user", reason: "nul\u0000here", big: "y".repeat(20_000) },
      }),
    );
    recordAudit(entry("/poison/b"));
    expect(await createAuditFlusher(database.handle.db).flush()).toBe(2);
    expect(await written("/poison/")).toEqual(["/poison/a", "/poison/b"]);
    const [row] = await database.handle.db
      .select()
      .from(apiAuditLogs)
      .where(eq(apiAuditLogs.endpoint, "/poison/a"));
    expect(row?.userId).toBeNull();
    expect(row?.userAgent).toHaveLength(512);
    expect(row?.details).toEqual({
      action: "admin.ban-user",
      detailsTruncated: true,
      unverifiedIds: { userId: "not-a-uuid" },
    });
  });

  it("sets aside a row the database refuses and writes the rows behind it", async () => {
    recordAudit(entry("/aside/1"));
    // Past the checks recordAudit makes, as a row from an older process might be.
    returnAudit([{ ...entry("/aside/0"), userId: "not-a-uuid", createdAt: new Date() }]);
    recordAudit(entry("/aside/2"));
    const flusher = createAuditFlusher(database.handle.db);
    expect(await flusher.flush()).toBe(3);
    expect(pendingAudit()).toBe(0);
    expect(await written("/aside/")).toEqual(["/aside/1", "/aside/2"]);
    const letters = await database.handle.db.select().from(deadLetters);
    expect(letters).toHaveLength(1);
    expect(letters[0]).toMatchObject({ queue: "audit", payload: { endpoint: "/aside/0" } });
    expect(letters[0]?.error).toMatch(/uuid|22P02/);
  });

  it("keeps every row, in order, while the database is away, and writes them once it is back", async () => {
    for (let i = 0; i < 5; i++) recordAudit(entry(`/away/${i}`));
    const away = createAuditFlusher(unreachable.db);
    await expect(away.flush()).rejects.toThrow();
    await expect(away.flush()).rejects.toThrow();
    expect(pendingAudit()).toBe(5);
    const stopped = await away.stop(300);
    expect(stopped).toEqual({ written: 0, unwritten: 5 });
    expect(await createAuditFlusher(database.handle.db).flush()).toBe(5);
    expect(await written("/away/")).toEqual([
      "/away/0",
      "/away/1",
      "/away/2",
      "/away/3",
      "/away/4",
    ]);
  });

  it("holds at most its bound, and counts what it sheds", async () => {
    setAuditCapacityForTests(3);
    for (let i = 0; i < 7; i++) recordAudit(entry(`/bound/${i}`));
    expect(pendingAudit()).toBe(3);
    const shed: number[] = [];
    await createAuditFlusher(database.handle.db, { onShed: (n) => shed.push(n) }).flush();
    expect(shed).toEqual([4]);
    expect(await written("/bound/")).toEqual(["/bound/0", "/bound/1", "/bound/2"]);
  });
});
