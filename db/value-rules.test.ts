import { randomBytes } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { API_SCOPES } from "@/contracts/api-keys";
import { ALLOWED_MIME_TYPES } from "@/server/media/file-types";
import { sanitizeFileName } from "@/server/storage/paths";
import { availableDrivers, useTestDatabase } from "@/test/database";
import { outcome } from "@/test/errors";
import { shareWorkspace } from "@/test/workspace";
import { withRls } from "./rls";
import { queryRows } from "./rows";
import { apiKeys, messageAttachments, messages, user } from "./schema";
import type { Tx } from "./types";

/**
 * Values the database refuses (drizzle/0021_value_rules.sql), written as the request role
 * would write them with SQL of its own — past every check the app makes. For each column a
 * request role may write, the values it must not be able to write, beside one it may.
 */
const CHECK = "23514"; // check_violation
const DENIED = "42501"; // insufficient_privilege: a guard trigger's refusal
const INVALID = "22023"; // invalid_parameter_value: raised by the chat triggers

interface TestUser {
  id: string;
}

describe.each(availableDrivers())("values the database refuses, on %s", (driver) => {
  const database = useTestDatabase(driver);
  /** A person, written as Better Auth writes one (owner connection). */
  const person = async (name: string): Promise<TestUser> => {
    const [row] = await database.handle.db
      .insert(user)
      .values({
        name,
        email: `${name.toLowerCase()}-${randomBytes(4).toString("hex")}@example.com`,
      })
      .returning({ id: user.id });
    return row!;
  };
  let alice: TestUser;
  let bob: TestUser;
  let aliceChat: string;
  let bobChat: string;

  let team = "";
  const as = <T>(who: TestUser, fn: (tx: Tx) => Promise<T>) =>
    withRls({ userId: who.id, organizationId: team }, fn);
  const stamp = () => `20260101_000000_${randomBytes(8).toString("hex")}`;
  const groupOf = (who: TestUser, name: string) =>
    as(who, async (tx) => {
      const [row] = await queryRows<{ id: string }>(
        tx,
        sql`select public.create_group_chat(${name}, ${""}, ${"{}"}::uuid[]) as id`,
      );
      return row!.id;
    });

  beforeAll(async () => {
    alice = await person("Alice");
    bob = await person("Bob");
    team = await shareWorkspace([alice.id, bob.id]);
    aliceChat = await groupOf(alice, "Alice's");
    bobChat = await groupOf(bob, "Bob's");
  });

  describe("message_attachments", () => {
    const attach = (who: TestUser, chatId: string, storagePath: string, thumbnailPath?: string) =>
      as(who, (tx) =>
        tx.insert(messageAttachments).values({
          chatId,
          uploaderId: who.id,
          fileName: "f.png",
          storagePath,
          thumbnailPath: thumbnailPath ?? null,
          fileSize: 1,
          mimeType: "image/png",
        }),
      );

    it("takes only a path under the row's own chat and uploader, and the file's own thumbnail", async () => {
      const own = `chats/${aliceChat}/${alice.id}/${stamp()}`;
      expect(await outcome(attach(alice, aliceChat, `${own}.png`, `${own}_thumb.webp`))).toBe("ok");

      const bobs = `chats/${bobChat}/${bob.id}/${stamp()}`;
      expect(await outcome(attach(bob, bobChat, `${bobs}.png`, `${bobs}_thumb.webp`))).toBe("ok");
      const mine = `chats/${aliceChat}/${alice.id}/${stamp()}`;
      // Bob's file, or his thumbnail, named from Alice's own chat.
      expect(await outcome(attach(alice, aliceChat, `${bobs}.png`))).toBe(CHECK);
      expect(await outcome(attach(alice, aliceChat, `${mine}.png`, `${bobs}_thumb.webp`))).toBe(
        CHECK,
      );
      // Another chat's folder, another uploader's folder, tricks, and anything free-form.
      for (const path of [
        `chats/${bobChat}/${alice.id}/${stamp()}.png`,
        `chats/${aliceChat}/${bob.id}/${stamp()}.png`,
        `chats/${aliceChat}/${alice.id}/../${stamp()}.png`,
        `chats/${aliceChat}/${alice.id}/${stamp()}.png/x`,
        `avatars/${alice.id}/0123456789abcdef.webp`,
        "https://tracker.example/pixel.png",
      ]) {
        expect(await outcome(attach(alice, aliceChat, path)), path).toBe(CHECK);
      }
      // A thumbnail that is not this file's own.
      const other = `chats/${aliceChat}/${alice.id}/${stamp()}`;
      expect(await outcome(attach(alice, aliceChat, `${mine}.png`, `${other}_thumb.webp`))).toBe(
        CHECK,
      );
    });

    it("takes only an allowed type, a sanitized name and real dimensions", async () => {
      const insert = (values: Partial<typeof messageAttachments.$inferInsert>) =>
        as(alice, (tx) =>
          tx.insert(messageAttachments).values({
            chatId: aliceChat,
            uploaderId: alice.id,
            fileName: "f.png",
            storagePath: `chats/${aliceChat}/${alice.id}/${stamp()}.png`,
            fileSize: 1,
            mimeType: "image/png",
            ...values,
          }),
        );
      for (const mimeType of ["text/html", "image/svg+xml", "application/javascript", ""]) {
        expect(await outcome(insert({ mimeType })), mimeType).toBe(CHECK);
      }
      // The migration lists the types again: every one of server/media/file-types.ts must pass.
      for (const mimeType of ALLOWED_MIME_TYPES) {
        expect(await outcome(insert({ mimeType })), mimeType).toBe("ok");
      }
      for (const fileName of [
        "",
        "x".repeat(256),
        "a/b.png",
        "a\\b.png",
        ".htaccess",
        "a\nb",
        "<x>.png",
      ]) {
        expect(await outcome(insert({ fileName })), JSON.stringify(fileName)).toBe(CHECK);
      }
      for (const fileName of [
        sanitizeFileName("../../etc/passwd"),
        sanitizeFileName("Ünïcødé 📎.pdf"),
      ]) {
        expect(await outcome(insert({ fileName })), fileName).toBe("ok");
      }
      for (const [width, height] of [
        [0, 10],
        [10, -1],
        [2_000_000, 10],
      ] as const) {
        expect(await outcome(insert({ width, height })), `${width}×${height}`).toBe(CHECK);
      }
      expect(await outcome(insert({ width: 640, height: 480 }))).toBe("ok");
    });
  });

  describe("api_keys", () => {
    const keyOf = async (who: TestUser, expiresAt: Date | null) => {
      const prefix = randomBytes(4).toString("hex");
      const [row] = await as(who, (tx) =>
        tx
          .insert(apiKeys)
          .values({
            userId: who.id,
            name: "k",
            key: randomBytes(32).toString("hex"),
            prefix,
            scopes: ["profile:read"],
            expiresAt,
          })
          .returning({ id: apiKeys.id }),
      );
      return row!.id;
    };
    const update = (who: TestUser, id: string, values: Partial<typeof apiKeys.$inferInsert>) =>
      as(who, (tx) => tx.update(apiKeys).set(values).where(eq(apiKeys.id, id)));
    const inDays = (days: number) => new Date(Date.now() + days * 86_400_000);

    it("keeps a revoked key revoked", async () => {
      const id = await keyOf(alice, inDays(30));
      expect(await outcome(update(alice, id, { revoked: true }))).toBe("ok");
      expect(await outcome(update(alice, id, { revoked: false, revokedAt: null }))).toBe(DENIED);
      // revokedAt is the database's: it is stamped at the revocation and never moved.
      const [row] = await as(alice, (tx) =>
        tx.select({ revokedAt: apiKeys.revokedAt }).from(apiKeys).where(eq(apiKeys.id, id)),
      );
      expect(row?.revokedAt).toBeInstanceOf(Date);
    });

    it("lets an expiry come closer, never move away or go", async () => {
      const id = await keyOf(alice, inDays(30));
      expect(await outcome(update(alice, id, { expiresAt: inDays(36_500) }))).toBe(DENIED);
      expect(await outcome(update(alice, id, { expiresAt: null }))).toBe(DENIED);
      expect(await outcome(update(alice, id, { expiresAt: inDays(10) }))).toBe("ok");
    });

    it("takes only Parley's scopes, and names of 1 to 100 characters", async () => {
      const insert = (values: Partial<typeof apiKeys.$inferInsert>) =>
        as(alice, (tx) =>
          tx.insert(apiKeys).values({
            userId: alice.id,
            name: "k",
            key: randomBytes(32).toString("hex"),
            prefix: randomBytes(4).toString("hex"),
            scopes: ["profile:read"],
            ...values,
          }),
        );
      expect(await outcome(insert({ scopes: ["admin:all"] }))).toBe(CHECK);
      expect(await outcome(insert({ scopes: ["profile:read", "*"] }))).toBe(CHECK);
      expect(await outcome(insert({ rateLimit: 100_001 }))).toBe(CHECK);
      expect(await outcome(insert({ name: "x".repeat(101) }))).toBe(CHECK);
      expect(await outcome(insert({ name: "" }))).toBe(CHECK);
      expect(await outcome(insert({ scopes: ["metas:read", "messages:write"] }))).toBe("ok");
      // The migration lists the scopes again: every one of contracts/api-keys.ts must pass.
      expect(await outcome(insert({ scopes: [...API_SCOPES] }))).toBe("ok");
    });

    it("answers a key lookup only for the right secret, and never with the hash", async () => {
      const prefix = randomBytes(4).toString("hex");
      const hash = randomBytes(32).toString("hex");
      await as(alice, (tx) =>
        tx
          .insert(apiKeys)
          .values({ userId: alice.id, name: "k", key: hash, prefix, scopes: ["profile:read"] }),
      );
      const lookup = (presented: string) =>
        withRls(null, (tx) =>
          queryRows<Record<string, unknown>>(
            tx,
            sql`select * from public.find_api_key(${prefix}, ${presented})`,
          ),
        );
      expect(await lookup(randomBytes(32).toString("hex"))).toEqual([]);
      const [found] = await lookup(hash);
      expect(found).toMatchObject({ userId: alice.id });
      expect(Object.values(found!)).not.toContain(hash);
    });
  });

  describe("functions anon may call", () => {
    /**
     * Each with what it answers. Anyone may call these without signing in (on hosted Supabase,
     * straight through its Data API), so each must answer only what its one caller needs.
     */
    const ANON_FUNCTIONS: Record<string, string> = {
      find_api_key: "the key's owner, scopes and limits — only for the right secret",
      touch_api_key: "nothing: stamps a key's last use — only for the right secret",
      storage_object_live: "whether an attachment or thumbnail path is still live",
      invitation_preview: "what an invitation link says — only for the invitation's id",
      // About the caller only (policies call them as the request role): for anon, no one.
      get_auth_user_id: "the bound user's id",
      is_request_role: "whether the caller is a request role",
      is_admin: "whether the bound user is an admin",
      realtime_can_join: "whether the bound user may join a topic",
      realtime_can_send: "whether the bound user may send on a topic",
    };

    it("are only the ones listed here", async () => {
      const rows = await withRls(null, (tx) =>
        queryRows<{ name: string }>(
          tx,
          sql`select p.proname as name from pg_proc p
              join pg_namespace n on n.oid = p.pronamespace
              where n.nspname = 'public' and has_function_privilege('anon', p.oid, 'execute')
                -- A trigger function cannot be called but as a trigger.
                and p.prorettype <> 'trigger'::regtype
              order by 1`,
        ),
      );
      expect(rows.map((r) => r.name)).toEqual(Object.keys(ANON_FUNCTIONS).sort());
    });

    it("tell a storage path's caller whether it is live, and nothing else", async () => {
      const live = (path: string) =>
        withRls(null, (tx) =>
          queryRows<Record<string, unknown>>(
            tx,
            sql`select * from public.storage_object_live(${path})`,
          ),
        );
      const objectPath = `chats/${aliceChat}/${alice.id}/${stamp()}.png`;
      await as(alice, (tx) =>
        tx.insert(messageAttachments).values({
          chatId: aliceChat,
          uploaderId: alice.id,
          fileName: "secret plans.png",
          storagePath: objectPath,
          fileSize: 1,
          mimeType: "image/png",
        }),
      );
      expect(await live(objectPath)).toEqual([{ storage_object_live: true }]);
      expect(await live(`${objectPath}.other`)).toEqual([{ storage_object_live: false }]);
    });
  });

  describe("user", () => {
    const setProfile = (who: TestUser, values: { name?: string; image?: string | null }) =>
      as(who, (tx) => tx.update(user).set(values).where(eq(user.id, who.id)));

    it("takes a name of 1 to 100 characters", async () => {
      expect(await outcome(setProfile(alice, { name: "x".repeat(200_000) }))).toBe(CHECK);
      expect(await outcome(setProfile(alice, { name: "   " }))).toBe(CHECK);
      expect(await outcome(setProfile(alice, { name: "Alice A." }))).toBe("ok");
    });

    it("takes a picture that is an http(s) URL or the person's own avatar, never another's", async () => {
      const hash = randomBytes(16).toString("hex");
      expect(
        await outcome(setProfile(alice, { image: `/api/avatars/${bob.id}/${hash}.webp` })),
      ).toBe(CHECK);
      for (const image of ["javascript:alert(1)", "data:image/png;base64,AAAA", "/etc/passwd"]) {
        expect(await outcome(setProfile(alice, { image })), image).toBe(CHECK);
      }
      expect(
        await outcome(setProfile(alice, { image: `https://x.example/${"a".repeat(2100)}` })),
      ).toBe(CHECK);
      expect(
        await outcome(setProfile(alice, { image: `/api/avatars/${alice.id}/${hash}.webp` })),
      ).toBe("ok");
      expect(
        await outcome(setProfile(alice, { image: "https://pictures.example/alice.png" })),
      ).toBe("ok");
      expect(await outcome(setProfile(alice, { image: null }))).toBe("ok");
    });
  });

  describe("messages", () => {
    it("keeps a system message: not even the group's owner deletes it", async () => {
      const [system] = await as(alice, (tx) =>
        queryRows<{ id: string }>(
          tx,
          sql`select id from public.messages where "chatId" = ${aliceChat}::uuid and type = 'system' limit 1`,
        ),
      );
      expect(system).toBeDefined();
      expect(
        await outcome(
          as(alice, (tx) =>
            tx.update(messages).set({ deletedAt: new Date() }).where(eq(messages.id, system!.id)),
          ),
        ),
      ).toBe(DENIED);
    });

    it("takes a replyToId only of the same chat, and text up to the limit", async () => {
      const send = (
        who: TestUser,
        chatId: string,
        values: { content?: string; replyToId?: string },
      ) =>
        as(who, (tx) =>
          tx
            .insert(messages)
            .values({ chatId, senderId: who.id, seq: 0, content: "hi", ...values })
            .returning({ id: messages.id }),
        );
      const [bobs] = await send(bob, bobChat, {});
      const [alices] = await send(alice, aliceChat, {});
      expect(await outcome(send(alice, aliceChat, { replyToId: bobs!.id }))).toBe(INVALID);
      expect(await outcome(send(alice, aliceChat, { replyToId: alices!.id }))).toBe("ok");
      expect(await outcome(send(alice, aliceChat, { content: "x".repeat(10_001) }))).toBe(CHECK);
    });
  });
});
