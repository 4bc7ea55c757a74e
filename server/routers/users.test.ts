import { beforeAll, describe, expect, it } from "vitest";
import { useTestDatabase } from "@/test/database";
import { callerFor, signUp, type TestUser } from "@/test/users";

useTestDatabase();

/**
 * People search (`users.search`) by name and by the custom fields people marked searchable:
 * the card it answers is the same either way, and says nothing of which field matched.
 */
describe("users.search", () => {
  let alice: TestUser;
  let carol: TestUser;
  let designa: TestUser;
  let outsider: TestUser;

  beforeAll(async () => {
    alice = await signUp("Alice");
    carol = await signUp("Carol");
    designa = await signUp("Designa");
    outsider = await signUp("Olaf", { workspace: "own" });
    const asCarol = await callerFor(carol);
    await asCarol.metas.set({ key: "role", value: "Lead designer", isSearchable: true });
    await asCarol.metas.set({ key: "desk", value: "North wing 7", isPublic: true });
    await asCarol.metas.set({ key: "theme", value: "dark", isSearchable: true });
    await (
      await callerFor(outsider)
    ).metas.set({ key: "role", value: "Lead designer", isSearchable: true });
  });

  it("finds a person by a searchable field, with only their card", async () => {
    const found = await (await callerFor(alice)).users.search({ query: "lead DESIGN" });
    expect(found).toEqual([
      {
        id: carol.id,
        name: "Carol",
        image: null,
        publicMetas: [{ key: "desk", value: "North wing 7", dataType: "text" }],
      },
    ]);
    // Neither the private field's key nor its value travels with the card.
    expect(JSON.stringify(found)).not.toMatch(/designer|"role"/i);
  });

  it("lists name matches before field matches", async () => {
    const found = await (await callerFor(alice)).users.search({ query: "design" });
    expect(found.map((u) => u.id)).toEqual([designa.id, carol.id]);
  });

  it("does not match a field that is not searchable, even a public one", async () => {
    expect(await (await callerFor(alice)).users.search({ query: "north wing" })).toEqual([]);
  });

  it("does not match a preference, even one marked searchable", async () => {
    expect(await (await callerFor(alice)).users.search({ query: "dark" })).toEqual([]);
  });

  it("does not match people of another workspace", async () => {
    const found = await (await callerFor(alice)).users.search({ query: "lead designer" });
    expect(found.map((u) => u.id)).toEqual([carol.id]);
    expect(await (await callerFor(outsider)).users.search({ query: "lead designer" })).toEqual([]);
  });
});
