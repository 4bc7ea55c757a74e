import { beforeAll, describe, expect, it } from "vitest";
import { createAuditFlusher } from "@/server/jobs/audit-flush";
import { useTestDatabase } from "@/test/database";
import { signUp, type TestUser } from "@/test/users";
import { recordAudit } from "@/server/audit/buffer";
import { exportAuditCsv } from "./audit-export";

const database = useTestDatabase();

const row = (userId: string, endpoint: string, statusCode = 200) =>
  recordAudit({
    apiKeyId: null,
    userId,
    actorId: userId,
    endpoint,
    method: "GET",
    statusCode,
    responseTime: 3,
    ipAddress: null,
    userAgent: '=HYPERLINK("x"), "quoted"',
    details: null,
  });

describe("audit CSV export", () => {
  let alice: TestUser;
  let bob: TestUser;
  let admin: TestUser;
  beforeAll(async () => {
    alice = await signUp("Alice");
    bob = await signUp("Bob");
    admin = await signUp("Admin", { role: "admin" });
    for (let i = 0; i < 1200; i++) row(alice.id, `/api/v1/alice/${i}`, i % 10 === 0 ? 404 : 200);
    row(bob.id, "/api/v1/bob-only");
    await createAuditFlusher(database.handle.db, { batchSize: 500 }).flush();
  });

  const exportAs = (who: TestUser | null, query = "") =>
    exportAuditCsv(
      new Request(`http://localhost/api/audit/export${query}`, { headers: who?.headers ?? {} }),
    );

  it("streams every own row across pages, and nobody else's", async () => {
    const response = await exportAs(alice);
    expect(response.headers.get("content-type")).toContain("text/csv");
    const lines = (await response.text()).trim().split("\n");
    expect(lines[0]).toBe(
      "createdAt,method,endpoint,statusCode,requestCount,responseTime,apiKeyId,userId,actorId,ipAddress,userAgent",
    );
    expect(lines).toHaveLength(1 + 1200);
    expect(lines.some((l) => l.includes("bob-only"))).toBe(false);
    // Formula-looking cells are neutralised and quotes escaped.
    expect(lines[1]).toContain(`"'=HYPERLINK(""x""), ""quoted"""`);
  });

  it("applies filters", async () => {
    const lines = (await (await exportAs(alice, "?status=4xx")).text()).trim().split("\n");
    expect(lines).toHaveLength(1 + 120);
    expect((await exportAs(alice, "?status=9xx")).status).toBe(422);
  });

  it("exports everyone's rows for admins only", async () => {
    expect((await exportAs(alice, "?all=1")).status).toBe(403);
    const text = await (await exportAs(admin, "?all=1")).text();
    expect(text).toContain("bob-only");
    expect((await exportAs(null)).status).toBe(401);
  });

  it("narrows an admin's export to one user, by id or by name/email", async () => {
    const byId = await (await exportAs(admin, `?all=1&userId=${bob.id}`)).text();
    expect(byId.trim().split("\n")).toHaveLength(2);
    expect(byId).toContain("bob-only");
    const byEmail = (await (await exportAs(admin, `?all=1&user=${bob.email}`)).text())
      .trim()
      .split("\n");
    expect(byEmail).toHaveLength(2);
    expect(byEmail[1]).toContain(bob.id);
    // Empty form fields are no filter at all.
    const blank = await (await exportAs(admin, "?all=1&user=&status=&endpoint=bob")).text();
    expect(blank.trim().split("\n")).toHaveLength(2);
  });

  it("never lets a user export someone else's rows", async () => {
    // A user filter outside the admin's whole-log export is refused, not silently applied.
    expect((await exportAs(alice, `?userId=${bob.id}`)).status).toBe(422);
    expect((await exportAs(alice, `?user=${bob.email}`)).status).toBe(422);
    expect((await exportAs(alice, `?all=1&userId=${bob.id}`)).status).toBe(403);
    const own = await (await exportAs(alice, "?endpoint=bob")).text();
    expect(own).toBe(
      "createdAt,method,endpoint,statusCode,requestCount,responseTime,apiKeyId,userId,actorId,ipAddress,userAgent\n",
    );
  });

  it("refuses filters it cannot apply with a 4xx before sending anything", async () => {
    for (const query of [
      "?from=99999-01-01",
      "?from=0000-01-01",
      "?to=275760-09-13T00:00:00.001Z",
      `?endpoint=${encodeURIComponent("/api/\u0000")}`,
    ]) {
      const response = await exportAs(alice, query);
      expect(response.status, query).toBeGreaterThanOrEqual(400);
      expect(response.status, query).toBeLessThan(500);
      expect(response.headers.get("content-type"), query).toMatch(/application\/json/);
    }
  });
});
