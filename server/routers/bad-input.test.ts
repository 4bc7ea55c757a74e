import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { chatAvatarUrl } from "@/contracts/avatar-paths";
import { queryRows } from "@/db/rows";
import { env } from "@/server/env";
import { useTestDatabase } from "@/test/database";
import { codeOf, outcome } from "@/test/errors";
import { callerFor, signUp, type TestUser } from "@/test/users";

const database = useTestDatabase();

/**
 * Values no validator thought of, at the level of one procedure: each is BAD_REQUEST (never
 * INTERNAL_SERVER_ERROR) and leaves nothing written. The fuzz suite (test/fuzz) tries every
 * procedure; these pin down each cause it found.
 */
describe("bad input is BAD_REQUEST and writes nothing", () => {
  let alice: TestUser;
  let chatId: string;
  let messageId: string;
  beforeAll(async () => {
    alice = await signUp("Alice");
    const caller = await callerFor(alice);
    chatId = (await caller.chats.createGroup({ name: "Inputs", memberIds: [] })).id;
    messageId = (await caller.messages.send({ chatId, content: "original" })).id;
  });

  const count = async (table: string) =>
    (
      await queryRows<{ n: number }>(
        database.handle.db,
        sql`select count(*)::int as n from ${sql.identifier(table)}`,
      )
    )[0]!.n;

  it("a NUL character (U+0000), stored or searched", async () => {
    const caller = await callerFor(alice);
    const before = await count("messages");
    expect(await codeOf(caller.messages.send({ chatId, content: "a\u0000b" }))).toBe("BAD_REQUEST");
    expect(await count("messages")).toBe(before);
    expect(await codeOf(caller.messages.edit({ messageId, content: "\u0000" }))).toBe(
      "BAD_REQUEST",
    );
    expect(await codeOf(caller.chats.createGroup({ name: "x\u0000", memberIds: [] }))).toBe(
      "BAD_REQUEST",
    );
    expect(await codeOf(caller.me.update({ name: "Al\u0000ice" }))).toBe("BAD_REQUEST");
    expect(await codeOf(caller.metas.set({ key: "note", value: { text: "\u0000" } }))).toBe(
      "BAD_REQUEST",
    );
    expect(await codeOf(caller.users.search({ query: "\u0000" }))).toBe("BAD_REQUEST");
    expect(await codeOf(caller.messages.search({ query: "a\u0000" }))).toBe("BAD_REQUEST");
    const list = await caller.messages.list({ chatId });
    expect(list.messages.filter((m) => m.type !== "system").map((m) => m.content)).toEqual([
      "original",
    ]);
    expect((await caller.me.get()).name).toBe("Alice");
  });

  it("dates outside the years 1 to 9999", async () => {
    const caller = await callerFor(alice);
    for (const date of ["0000-01-01", "99999-01-01", "275760-09-13T00:00:00.001Z", 8.64e15]) {
      expect(
        await codeOf(caller.chats.setNotifications({ chatId, level: "all", mutedUntil: date })),
        String(date),
      ).toBe("BAD_REQUEST");
      expect(await codeOf(caller.audit.list({ from: date })), String(date)).toBe("BAD_REQUEST");
      expect(
        await codeOf(
          caller.apiKeys.create({
            name: "dated",
            scopes: ["profile:read"],
            expiresAt: date,
          }),
        ),
        String(date),
      ).toBe("BAD_REQUEST");
    }
    expect((await caller.apiKeys.list()).filter((k) => k.name === "dated")).toEqual([]);
  });

  it("input nested deeper than INPUT_MAX_DEPTH, however deep", async () => {
    const caller = await callerFor(alice);
    for (const depth of [env.INPUT_MAX_DEPTH + 1, 5000]) {
      let value: unknown = "leaf";
      for (let i = 0; i < depth; i++) value = { a: value };
      expect(await codeOf(caller.metas.set({ key: "deep", value: value })), String(depth)).toBe(
        "BAD_REQUEST",
      );
    }
    expect(await codeOf(caller.metas.get({ key: "deep" }))).toBe("NOT_FOUND");
  });

  it("a stored string that looks like JSON comes back as that string", async () => {
    const caller = await callerFor(alice);
    for (const value of ["true", "123", "1e400", "null", '{"a":1}']) {
      expect((await caller.metas.set({ key: "looks-like-json", value })).value).toBe(value);
      expect((await caller.metas.get({ key: "looks-like-json" })).value).toBe(value);
    }
  });

  it("a chat picture that is not one Parley stored for that chat, even from the database's side", async () => {
    const caller = await callerFor(alice);
    const other = (await caller.chats.createGroup({ name: "Other", memberIds: [] })).id;
    const hash = "0123456789abcdef";
    for (const avatarPath of [
      "https://tracker.example/pixel.gif",
      "javascript:alert(1)",
      "/api/avatars/x.webp",
      chatAvatarUrl({ chatId: other, hash }),
    ]) {
      expect(await codeOf(caller.chats.update({ chatId, avatarPath })), avatarPath).toBe(
        "BAD_REQUEST",
      );
    }
    const own = chatAvatarUrl({ chatId, hash });
    expect((await caller.chats.update({ chatId, avatarPath: own })).image).toBe(own);
    expect(
      await outcome(
        database.handle.db.execute(
          sql`update chats set "avatarPath" = 'https://tracker.example/pixel.gif' where id = ${chatId}`,
        ),
      ),
    ).toBe("23514");
  });

  it("a message key sent again with other content", async () => {
    const caller = await callerFor(alice);
    const clientKey = crypto.randomUUID();
    const { id } = await caller.messages.send({ chatId, clientKey, content: "first" });
    expect((await caller.messages.send({ chatId, clientKey, content: "first" })).id).toBe(id);
    expect(await codeOf(caller.messages.send({ chatId, clientKey, content: "second" }))).toBe(
      "UNPROCESSABLE_CONTENT",
    );
  });
});
