import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { userMetas } from "@/db/schema";
import { useTestDatabase } from "@/test/database";
import { codeOf } from "@/test/errors";
import { callerFor, signUp, type TestUser } from "@/test/users";

const database = useTestDatabase();

describe("metas", () => {
  let alice: TestUser;
  let bob: TestUser;

  beforeAll(async () => {
    alice = await signUp("Alice");
    bob = await signUp("Bob");
  });

  it("sets, reads, replaces and deletes a meta", async () => {
    const api = await callerFor(alice);
    const created = await api.metas.set({ key: "theme", value: "dark" });
    expect(created).toMatchObject({
      key: "theme",
      value: "dark",
      dataType: "text",
      isPublic: false,
    });

    const replaced = await api.metas.set({ key: "theme", value: "light", isPublic: true });
    expect(replaced).toMatchObject({ id: created.id, value: "light", isPublic: true });
    expect(replaced.updatedAt.getTime()).toBeGreaterThanOrEqual(created.updatedAt.getTime());

    // Leaving a flag out keeps the stored value.
    const kept = await api.metas.set({ key: "theme", value: "system" });
    expect(kept.isPublic).toBe(true);

    expect(await api.metas.get({ key: "theme" })).toMatchObject({ value: "system" });
    expect((await api.metas.list()).map((m) => m.key)).toEqual(["theme"]);

    await api.metas.delete({ key: "theme" });
    expect(await codeOf(api.metas.get({ key: "theme" }))).toBe("NOT_FOUND");
    expect(await codeOf(api.metas.delete({ key: "theme" }))).toBe("NOT_FOUND");
  });

  it("stores each JSON type with the matching data type", async () => {
    const api = await callerFor(alice);
    expect((await api.metas.set({ key: "n", value: 42 })).dataType).toBe("number");
    expect((await api.metas.set({ key: "b", value: false })).dataType).toBe("boolean");
    const json = await api.metas.set({ key: "j", value: { lang: "es", tags: ["a"] } });
    expect(json).toMatchObject({ dataType: "json", value: { lang: "es", tags: ["a"] } });
  });

  it("keeps metas private to their owner unless public", async () => {
    const asAlice = await callerFor(alice);
    const asBob = await callerFor(bob);
    await asAlice.metas.set({ key: "company", value: "Acme", isPublic: true });
    await asAlice.metas.set({ key: "secret", value: "hunter2" });

    expect((await asBob.metas.list()).map((m) => m.key)).not.toContain("company");
    expect(await codeOf(asBob.metas.get({ key: "secret" }))).toBe("NOT_FOUND");
    expect(await asBob.metas.listPublic({ userId: alice.id })).toEqual([
      { key: "company", value: "Acme", dataType: "text" },
    ]);

    // Bob's delete of a key he does not have never touches Alice's row.
    expect(await codeOf(asBob.metas.delete({ key: "secret" }))).toBe("NOT_FOUND");
    const [still] = await database.handle.db
      .select()
      .from(userMetas)
      .where(and(eq(userMetas.userId, alice.id), eq(userMetas.metaKey, "secret")));
    expect(still?.metaValue).toBe("hunter2");
  });

  it("answers NOT_FOUND for public metas of an unknown user", async () => {
    const api = await callerFor(bob);
    expect(await codeOf(api.metas.listPublic({ userId: crypto.randomUUID() }))).toBe("NOT_FOUND");
  });

  it("refuses anonymous callers", async () => {
    const api = await callerFor(null);
    expect(await codeOf(api.metas.list())).toBe("UNAUTHORIZED");
    expect(await codeOf(api.metas.set({ key: "k", value: "v" }))).toBe("UNAUTHORIZED");
  });

  it.each([
    ["an empty key", { key: "", value: "v" }],
    ["a key with spaces", { key: "bad key", value: "v" }],
    ["a key over 100 characters", { key: "k".repeat(101), value: "v" }],
    ["a null value", { key: "k", value: null }],
    ["a data type that does not match the value", { key: "k", value: "text", dataType: "number" }],
    ["an unknown field", { key: "k", value: "v", userId: "00000000-0000-0000-0000-000000000000" }],
    ["a value over 64 KiB", { key: "k", value: "x".repeat(70_000) }],
  ])("rejects %s with BAD_REQUEST and writes nothing", async (_label, input) => {
    const api = await callerFor(alice);
    const before = await api.metas.list();
    // Deliberately malformed input: the point is what the boundary does with it.
    expect(await codeOf(api.metas.set(input as never))).toBe("BAD_REQUEST");
    expect(await api.metas.list()).toEqual(before);
  });

  it.each([
    ["metas.get", (api: Awaited<ReturnType<typeof callerFor>>) => api.metas.get({ key: "a b" })],
    ["metas.delete", (api: Awaited<ReturnType<typeof callerFor>>) => api.metas.delete({ key: "" })],
    [
      "metas.listPublic",
      (api: Awaited<ReturnType<typeof callerFor>>) =>
        api.metas.listPublic({ userId: "not-a-uuid" }),
    ],
  ])("%s rejects bad input with BAD_REQUEST", async (_name, call) => {
    expect(await codeOf(call(await callerFor(alice)))).toBe("BAD_REQUEST");
  });
});
