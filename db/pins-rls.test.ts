import { and, eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { availableDrivers, useTestDatabase } from "@/test/database";
import { outcome } from "@/test/errors";
import { shareWorkspace } from "@/test/workspace";
import { withRls } from "./rls";
import { queryRows } from "./rows";
import { chatMembers, messagePins, messages, savedMessages, user } from "./schema";
import type { Tx } from "./types";

/**
 * The RLS matrix for pins and saved messages (drizzle/0026_pins_saved.sql), as the request
 * roles through `withRls`, on PGlite and (with TEST_DATABASE_URL) on server Postgres: who
 * sees which rows, and which values a writer cannot choose.
 *
 * Cast: `owner` made the group and promoted `admin`; `member` is a plain member who also
 * shares a direct chat with `owner`; `leaver` leaves the group; `outsider` is in no chat.
 */
type Person = "owner" | "admin" | "member" | "leaver" | "outsider";
type Who = Person | "anon";

const DENIED = "42501";
const NOT_VISIBLE = "P0002";
const INVALID = "22023";

describe.each(availableDrivers())("pins and saved messages RLS on %s", (driver) => {
  const database = useTestDatabase(driver);
  const ids = {} as Record<Person, string>;
  const chat = { group: "", direct: "" };
  const msg = { group: "", groupOther: "", direct: "", deleted: "", system: "" };
  const db = () => database.handle.db;
  let team = "";
  const as = <T>(who: Who, fn: (tx: Tx) => Promise<T>) =>
    withRls(who === "anon" ? null : { userId: ids[who], organizationId: team }, fn);

  const pin = (who: Who, messageId: string) =>
    as(who, (tx) =>
      tx.execute(sql`insert into public.message_pins ("messageId") values (${messageId}::uuid)`),
    );
  const save = (who: Who, userId: string, messageId: string) =>
    as(who, (tx) =>
      tx.execute(
        sql`insert into public.saved_messages ("userId", "messageId") values (${userId}::uuid, ${messageId}::uuid)`,
      ),
    );
  const pinsSeenBy = (who: Who) =>
    as(who, async (tx) =>
      (await tx.select({ id: messagePins.messageId }).from(messagePins)).map((r) => r.id).sort(),
    );
  const savedSeenBy = (who: Who) =>
    as(who, async (tx) =>
      (
        await tx
          .select({ userId: savedMessages.userId, id: savedMessages.messageId })
          .from(savedMessages)
      )
        .map((r) => `${r.userId}:${r.id}`)
        .sort(),
    );
  const send = (who: Person, chatId: string, content: string) =>
    as(who, async (tx) => {
      const [row] = await tx
        .insert(messages)
        .values({ chatId, senderId: ids[who], seq: 0, content })
        .returning({ id: messages.id });
      return row!.id;
    });

  beforeAll(async () => {
    const people = await db()
      .insert(user)
      .values(
        (["owner", "admin", "member", "leaver", "outsider"] as const).map((p) => ({
          name: p,
          email: `${p}@pins.example.test`,
        })),
      )
      .returning({ id: user.id, name: user.name });
    for (const p of people) ids[p.name as Person] = p.id;
    // Everyone here shares one workspace, the one each request runs in.
    team = await shareWorkspace(Object.values(ids));
    chat.group = await as("owner", async (tx) => {
      const list = `{${[ids.admin, ids.member, ids.leaver].join(",")}}`;
      const [row] = await queryRows<{ id: string }>(
        tx,
        sql`select public.create_group_chat('Pins', '', ${list}::uuid[]) as id`,
      );
      return row!.id;
    });
    await as("owner", (tx) =>
      tx
        .update(chatMembers)
        .set({ role: "admin" })
        .where(and(eq(chatMembers.chatId, chat.group), eq(chatMembers.userId, ids.admin))),
    );
    chat.direct = await as("owner", async (tx) => {
      const [row] = await queryRows<{ id: string }>(
        tx,
        sql`select public.create_direct_chat(${ids.member}::uuid) as id`,
      );
      return row!.id;
    });
    msg.group = await send("owner", chat.group, "pin me");
    msg.groupOther = await send("member", chat.group, "me too");
    msg.direct = await send("owner", chat.direct, "between us");
    msg.deleted = await send("member", chat.group, "regretted");
    await as("member", (tx) =>
      tx
        .update(messages)
        .set({ deletedAt: new Date(), deletedBy: ids.member, content: "" })
        .where(eq(messages.id, msg.deleted)),
    );
    const [system] = await db()
      .select({ id: messages.id })
      .from(messages)
      .where(and(eq(messages.chatId, chat.group), eq(messages.type, "system")))
      .limit(1);
    msg.system = system!.id;
  });

  it("pins: members pin live messages of their chats; the rest is not found or refused", async () => {
    expect(await outcome(pin("member", msg.group))).toBe("ok");
    expect(await outcome(pin("owner", msg.direct))).toBe("ok");
    expect(await outcome(pin("outsider", msg.groupOther))).toBe(NOT_VISIBLE);
    expect(await outcome(pin("admin", msg.direct))).toBe(NOT_VISIBLE);
    expect(await outcome(pin("anon", msg.groupOther))).toBe(DENIED);
    expect(await outcome(pin("member", msg.deleted))).toBe(INVALID);
    expect(await outcome(pin("member", msg.system))).toBe(INVALID);
    // The chat, the pinner and the time are the database's, whatever the writer sends.
    expect(
      await outcome(
        as("admin", (tx) =>
          tx.execute(sql`insert into public.message_pins ("messageId", "chatId", "pinnedBy", "pinnedAt")
            values (${msg.groupOther}::uuid, ${chat.direct}::uuid, ${ids.owner}::uuid, now() - interval '1 year')`),
        ),
      ),
    ).toBe(DENIED);
    const rows = await db().select().from(messagePins);
    expect(rows.map((r) => [r.messageId, r.chatId, r.pinnedBy]).sort()).toEqual(
      [
        [msg.group, chat.group, ids.member],
        [msg.direct, chat.direct, ids.owner],
      ].sort(),
    );
    for (const row of rows) expect(row.pinnedAt.getTime()).toBeGreaterThan(Date.now() - 60_000);
  });

  it("pins: members see their chats' pins; nobody updates one", async () => {
    expect(await pinsSeenBy("owner")).toEqual([msg.group, msg.direct].sort());
    expect(await pinsSeenBy("admin")).toEqual([msg.group]);
    expect(await pinsSeenBy("member")).toEqual([msg.group, msg.direct].sort());
    expect(await pinsSeenBy("outsider")).toEqual([]);
    expect(await outcome(pinsSeenBy("anon"))).toBe(DENIED);
    expect(
      await outcome(
        as("member", (tx) =>
          tx
            .update(messagePins)
            .set({ pinnedBy: ids.owner })
            .where(eq(messagePins.messageId, msg.group)),
        ),
      ),
    ).toBe(DENIED);
  });

  it("pins: unpinned by the pinner or a group's owner and admins; by no one else", async () => {
    await pin("owner", msg.groupOther);
    const unpin = (who: Who, messageId: string) =>
      as(
        who,
        async (tx) =>
          (
            await tx
              .delete(messagePins)
              .where(eq(messagePins.messageId, messageId))
              .returning({ id: messagePins.messageId })
          ).length,
      );
    expect(await unpin("member", msg.groupOther)).toBe(0);
    expect(await unpin("outsider", msg.groupOther)).toBe(0);
    expect(await unpin("admin", msg.groupOther)).toBe(1);
    expect(await unpin("owner", msg.group)).toBe(1);
    // Either person in a direct chat.
    expect(await unpin("member", msg.direct)).toBe(1);
  });

  it("saved: one's own, of live messages in one's chats; forged owners refused", async () => {
    expect(await outcome(save("member", ids.member, msg.group))).toBe("ok");
    expect(await outcome(save("admin", ids.admin, msg.group))).toBe("ok");
    expect(await outcome(save("leaver", ids.leaver, msg.groupOther))).toBe("ok");
    expect(await outcome(save("member", ids.owner, msg.groupOther))).toBe(DENIED);
    expect(await outcome(save("outsider", ids.outsider, msg.group))).toBe(NOT_VISIBLE);
    expect(await outcome(save("admin", ids.admin, msg.direct))).toBe(NOT_VISIBLE);
    expect(await outcome(save("member", ids.member, msg.deleted))).toBe(INVALID);
    expect(await outcome(save("anon", ids.member, msg.group))).toBe(DENIED);
    expect(
      await outcome(
        as("member", (tx) =>
          tx.execute(sql`insert into public.saved_messages ("userId", "messageId", "chatId")
            values (${ids.member}::uuid, ${msg.direct}::uuid, ${chat.group}::uuid)`),
        ),
      ),
    ).toBe(DENIED);

    expect(await savedSeenBy("member")).toEqual([`${ids.member}:${msg.group}`]);
    expect(await savedSeenBy("admin")).toEqual([`${ids.admin}:${msg.group}`]);
    expect(await savedSeenBy("owner")).toEqual([]);
    expect(await outcome(savedSeenBy("anon"))).toBe(DENIED);
    // Nobody removes another's.
    const removed = await as(
      "member",
      async (tx) =>
        (
          await tx
            .delete(savedMessages)
            .where(eq(savedMessages.userId, ids.admin))
            .returning({ id: savedMessages.messageId })
        ).length,
    );
    expect(removed).toBe(0);
  });

  it("saved: leaving a chat takes its saved messages away", async () => {
    expect(await savedSeenBy("leaver")).toEqual([`${ids.leaver}:${msg.groupOther}`]);
    await as("leaver", (tx) =>
      tx
        .delete(chatMembers)
        .where(and(eq(chatMembers.chatId, chat.group), eq(chatMembers.userId, ids.leaver))),
    );
    expect(
      await db().select().from(savedMessages).where(eq(savedMessages.userId, ids.leaver)),
    ).toEqual([]);
  });
});
