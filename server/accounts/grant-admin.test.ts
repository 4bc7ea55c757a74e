import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { eq, sql } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { queryRows } from "@/db/rows";
import { user } from "@/db/schema";
import { useTestDatabase } from "@/test/database";
import { signUp } from "@/test/users";
import { grantAdminRole } from "./grant-admin";

const database = useTestDatabase();

describe("granting the admin role", () => {
  it("makes an existing account an admin, by email in any case, and audits it", async () => {
    const carol = await signUp("Carol");
    const outcome = await grantAdminRole(database.handle.db, carol.email.toUpperCase());
    expect(outcome).toEqual({ kind: "granted", userId: carol.id, email: carol.email });
    const [row] = await database.handle.db.select().from(user).where(eq(user.id, carol.id));
    expect(row?.role).toBe("user,admin");
    const audit = await queryRows<{ endpoint: string; method: string; details: unknown }>(
      database.handle.db,
      sql`select endpoint, method, details from api_audit_logs where "userId" = ${carol.id}`,
    );
    expect(audit).toEqual([
      {
        endpoint: "admin:grant",
        method: "CLI",
        details: { action: "user.admin_granted", via: "npm run admin:grant" },
      },
    ]);
    expect(await grantAdminRole(database.handle.db, carol.email)).toMatchObject({
      kind: "already-admin",
    });
  });

  it("refuses an unknown email and changes nothing", async () => {
    const before = await queryRows<{ n: number }>(
      database.handle.db,
      sql`select count(*)::int as n from "user" where role like '%admin%'`,
    );
    expect(await grantAdminRole(database.handle.db, "nobody@example.test")).toEqual({
      kind: "unknown-email",
    });
    const after = await queryRows<{ n: number }>(
      database.handle.db,
      sql`select count(*)::int as n from "user" where role like '%admin%'`,
    );
    expect(after).toEqual(before);
  });
});

describe("npm run admin:grant", () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "parley-grant-"));
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));
  const run = (...args: string[]) =>
    spawnSync(process.execPath, ["--import", "tsx", "scripts/admin-grant.ts", ...args], {
      cwd: path.resolve(import.meta.dirname, "../.."),
      // A production process on an embedded database of its own: nothing inherited.
      env: { NODE_ENV: "production", DATA_DIR: dataDir },
      encoding: "utf8",
      timeout: 60_000,
    });

  it("says how to use it, and refuses an email no account has with exit code 1", () => {
    const usage = run();
    expect(usage.status).toBe(2);
    expect(usage.stderr).toMatch(/Usage: npm run admin:grant -- someone@example.com/);
    const unknown = run("nobody@example.test");
    expect(unknown.stderr).toMatch(/No account has the email nobody@example.test/);
    expect(unknown.status).toBe(1);
  }, 90_000);
});
