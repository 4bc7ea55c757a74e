import { beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_PREFERENCES } from "@/contracts/preferences";
import { useTestDatabase } from "@/test/database";
import { codeOf } from "@/test/errors";
import { callerFor, signUp, type TestUser } from "@/test/users";

useTestDatabase();

describe("preferences", () => {
  let alice: TestUser;
  let bob: TestUser;

  beforeAll(async () => {
    alice = await signUp("Alice");
    bob = await signUp("Bob");
  });

  it("returns the defaults when nothing is stored", async () => {
    expect(await (await callerFor(bob)).preferences.get()).toEqual(DEFAULT_PREFERENCES);
  });

  it("updates a partial set in one go, each as a typed meta", async () => {
    const api = await callerFor(alice);
    const updated = await api.preferences.update({
      theme: "dark",
      language: "de",
      timeFormat: "12h",
      notificationLevel: "mentions",
      desktopNotifications: true,
      readReceipts: false,
    });
    expect(updated).toEqual({
      ...DEFAULT_PREFERENCES,
      theme: "dark",
      language: "de",
      timeFormat: "12h",
      notificationLevel: "mentions",
      desktopNotifications: true,
      readReceipts: false,
    });
    expect(await api.preferences.get()).toEqual(updated);
    const metas = await api.metas.list();
    expect(metas.find((m) => m.key === "privacy.readReceipts")).toMatchObject({
      value: false,
      dataType: "boolean",
      isPublic: false,
    });
    expect(metas.find((m) => m.key === "theme")).toMatchObject({ value: "dark", dataType: "text" });
    // The theme switch's own write (metas.set under `theme`) is the same preference.
    await api.metas.set({ key: "theme", value: "light", dataType: "text" });
    expect((await api.preferences.get()).theme).toBe("light");
  });

  it("rejects bad values, unknown names and empty updates, and writes nothing", async () => {
    const api = await callerFor(alice);
    const before = await api.preferences.get();
    const bad = [
      { theme: "purple" },
      { language: "xx" },
      { timeFormat: "36h" },
      { readReceipts: "no" },
      { notificationLevel: "loud" },
      { shoeSize: 42 },
      {},
      { theme: "dark", language: "klingon" },
    ];
    for (const input of bad) {
      expect(await codeOf(api.preferences.update(input as never))).toBe("BAD_REQUEST");
    }
    expect(await api.preferences.get()).toEqual(before);
  });

  it("keeps reserved keys well-typed through metas.set as well", async () => {
    const api = await callerFor(alice);
    const before = await api.preferences.get();
    const attempts = [
      { key: "theme", value: "purple" },
      { key: "theme", value: 1 },
      { key: "privacy.readReceipts", value: "false" },
      { key: "privacy.readReceipts", value: { on: false } },
      { key: "notifications.level", value: "loud" },
      { key: "language", value: "xx" },
      { key: "timeFormat", value: ["24h"] },
    ];
    for (const input of attempts) {
      expect(await codeOf(api.metas.set(input))).toBe("BAD_REQUEST");
    }
    expect(await api.preferences.get()).toEqual(before);
    // Other keys stay free-form.
    await api.metas.set({ key: "favouriteColour", value: "purple" });
    await api.metas.set({ key: "privacy.other", value: "anything" });
  });

  it("keeps one user's preferences from another", async () => {
    await (await callerFor(alice)).preferences.update({ language: "fr", readReceipts: false });
    const asBob = await callerFor(bob);
    expect((await asBob.preferences.get()).language).toBe("en");
    expect(await asBob.metas.listPublic({ userId: alice.id })).toEqual(
      expect.not.arrayContaining([expect.objectContaining({ key: "privacy.readReceipts" })]),
    );
    expect((await asBob.metas.listPublic({ userId: alice.id })).map((m) => m.key)).not.toContain(
      "language",
    );
  });

  it("refuses anonymous callers", async () => {
    const anon = await callerFor(null);
    expect(await codeOf(anon.preferences.get())).toBe("UNAUTHORIZED");
    expect(await codeOf(anon.preferences.update({ theme: "dark" }))).toBe("UNAUTHORIZED");
  });
});
