import { beforeAll, describe, expect, it } from "vitest";
import { withRls } from "@/db/rls";
import { deadLetters } from "@/db/schema";
import { setAside } from "@/server/jobs/dead-letters";
import { useTestDatabase } from "@/test/database";
import { codeOf } from "@/test/errors";
import { callerFor, signUp, type TestUser, actorOf } from "@/test/users";

const database = useTestDatabase();

describe("admin.deadLetters.list", () => {
  let admin: TestUser;
  let alice: TestUser;

  beforeAll(async () => {
    admin = await signUp("LettersAdmin", { role: "admin" });
    alice = await signUp("Alice");
    await setAside(
      database.handle.db,
      "audit",
      { method: "AUTH", endpoint: "/api/auth/admin/ban-user", statusCode: 401, userId: "x" },
      Object.assign(new Error('invalid input syntax for type uuid: "x"'), { code: "22P02" }),
    );
    await setAside(
      database.handle.db,
      "storage_deletions",
      { bucket: "message-attachments", path: "../../outside" },
      new Error("not a path Parley stores files under"),
      3,
    );
  });

  it("lists what was set aside, newest first, with what it was and why", async () => {
    const list = await (await callerFor(admin)).admin.deadLetters.list({});
    expect(list.total).toBe(2);
    expect(list.items.map((i) => [i.queue, i.summary, i.attempts])).toEqual([
      ["storage_deletions", "message-attachments/../../outside", 3],
      ["audit", "AUTH /api/auth/admin/ban-user → 401", 1],
    ]);
    expect(list.items[1]?.error).toBe('invalid input syntax for type uuid: "x" (22P02)');
  });

  it("is for admins only, in the router and in the database", async () => {
    expect(await codeOf((await callerFor(alice)).admin.deadLetters.list({}))).toBe("FORBIDDEN");
    const seen = await withRls(actorOf(alice), (tx) => tx.select().from(deadLetters));
    expect(seen).toEqual([]);
    const anonymous = await withRls(null, (tx) => tx.select().from(deadLetters)).catch(
      (error: unknown) => error,
    );
    // anon has no grant on the table at all.
    expect(String((anonymous as Error).cause ?? anonymous)).toMatch(/permission denied/);
  });
});
