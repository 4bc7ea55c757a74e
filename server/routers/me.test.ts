import { beforeAll, describe, expect, it } from "vitest";
import { useTestDatabase } from "@/test/database";
import { callerFor, signUp, type TestUser } from "@/test/users";

useTestDatabase();

describe("me", () => {
  let alice: TestUser;
  beforeAll(async () => {
    alice = await signUp("Alice");
  });

  it("returns the caller's own profile, email included", async () => {
    const me = await (await callerFor(alice)).me.get();
    expect(me).toMatchObject({
      id: alice.id,
      name: "Alice",
      email: alice.email,
      image: null,
      role: "user",
    });
  });

  it("updates name and image, trimming the name", async () => {
    const api = await callerFor(alice);
    const updated = await api.me.update({
      name: "  Alice A.  ",
      image: "https://example.test/a.png",
    });
    expect(updated).toMatchObject({ name: "Alice A.", image: "https://example.test/a.png" });
    expect(await api.me.update({ image: null })).toMatchObject({ name: "Alice A.", image: null });
    expect((await api.me.get()).name).toBe("Alice A.");
  });

  it("refuses anonymous callers", async () => {
    const api = await callerFor(null);
    await expect(api.me.get()).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    await expect(api.me.update({ name: "x" })).rejects.toMatchObject({ code: "UNAUTHORIZED" });
  });

  it.each([
    ["nothing to change", {}],
    ["an empty name", { name: "   " }],
    ["a name over 100 characters", { name: "x".repeat(101) }],
    ["a javascript: image", { image: "javascript:alert(1)" }],
    ["an image that is not a URL", { image: "not a url" }],
    ["a field that may not be changed", { name: "Mallory", role: "admin" }],
    ["a wrong type", { name: 42 }],
  ])("rejects %s with BAD_REQUEST and changes nothing", async (_label, input) => {
    const api = await callerFor(alice);
    const before = await api.me.get();
    // Deliberately malformed input: the point is what the boundary does with it.
    const failure = api.me.update(input as never);
    await expect(failure).rejects.toMatchObject({ code: "BAD_REQUEST" });
    expect(await api.me.get()).toEqual(before);
  });
});
