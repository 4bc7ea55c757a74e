import { randomBytes } from "node:crypto";
import { and, eq, inArray, isNull, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { chatAvatarUrl } from "@/contracts/avatar-paths";
import { availableDrivers, useTestDatabase } from "@/test/database";
import { outcome } from "@/test/errors";
import { shareWorkspace } from "@/test/workspace";
import { withRls } from "./rls";
import { queryRows } from "./rows";
import {
  chatMembers,
  chats,
  messageAttachments,
  messageEdits,
  messageReactions,
  messages,
  user,
} from "./schema";
import type { Tx } from "./types";

/**
 * The RLS matrix for the chat tables (drizzle/0003_chat_security.sql): every table ×
 * select/insert/update/delete × group owner / group admin / member / non-member / site admin /
 * anonymous, run as the request roles through `withRls`, on PGlite and (when TEST_DATABASE_URL
 * is set) on server Postgres.
 *
 * Cast: `owner` creates the group and promotes `admin`; `member`, `leaver` and `quiet` are
 * plain members (`leaver` leaves, `quiet` is banned at the end); `owner` and `member` also
 * share a direct chat. `extra` and `spare` start in no chat (`extra` gets added by the admin,
 * `spare` is only ever refused). `outsider` is a signed-in user in no chat; `site` is a site
 * admin in no chat; `banned` is banned from the start and in no chat.
 */

type Person =
  | "owner"
  | "admin"
  | "member"
  | "leaver"
  | "quiet"
  | "extra"
  | "spare"
  | "outsider"
  | "site"
  | "banned";
type Who = Person | "anon";

/** The SQLSTATE of a failed call, or "ok" when it succeeded. */

const DENIED = "42501"; // insufficient_privilege: no grant, a row refused by WITH CHECK, or a guard
const NOT_VISIBLE = "P0002"; // no_data_found: raised as "not found" for rows outside your chats
const INVALID = "22023"; // invalid_parameter_value: raised by the chat triggers

const sorted = (values: string[]) => [...values].sort();
const recent = (date: Date | null | undefined) =>
  date !== null && date !== undefined && date.getTime() > Date.now() - 60_000;

describe.each(availableDrivers())("chat RLS on %s", (driver) => {
  const database = useTestDatabase(driver);
  const ids: Record<Person, string> = {
    owner: "",
    admin: "",
    member: "",
    leaver: "",
    quiet: "",
    extra: "",
    spare: "",
    outsider: "",
    site: "",
    banned: "",
  };
  const chat = { group: "", direct: "" };
  /** Message ids by name; see beforeAll (and `deleted`, soft-deleted in the messages tests). */
  const msg = {
    memberHello: "",
    ownerHello: "",
    adminHello: "",
    directOwner: "",
    directMember: "",
    deleted: "",
  };

  const db = () => database.handle.db;

  let team = "";
  const as = <T>(who: Who, fn: (tx: Tx) => Promise<T>) =>
    withRls(who === "anon" ? null : { userId: ids[who], organizationId: team }, fn);

  const uuidArray = (list: string[]) => sql`${"{" + list.join(",") + "}"}::uuid[]`;

  /** A group created by `who` through create_group_chat, as the request role. */
  const createGroup = (who: Who, name: string, members: Person[]) =>
    as(who, async (tx) => {
      const rows = await queryRows<{ id: string }>(
        tx,
        sql`select public.create_group_chat(${name}, ${""}, ${uuidArray(members.map((p) => ids[p]))}) as id`,
      );
      return rows[0]!.id;
    });

  /** A text message sent by `who` through the request role; seq is assigned by the trigger. */
  const send = (who: Person, chatId: string, content: string) =>
    as(who, async (tx) => {
      const [row] = await tx
        .insert(messages)
        .values({ chatId, senderId: ids[who], seq: 0, content })
        .returning({ id: messages.id, seq: messages.seq });
      return row!;
    });

  const lastSeq = async (chatId: string) => {
    const [row] = await db()
      .select({ lastSeq: chats.lastSeq })
      .from(chats)
      .where(eq(chats.id, chatId));
    return row!.lastSeq;
  };

  /** The chats each actor belongs to once the fixtures are in place. */
  const chatsOf = (who: Person): string[] => {
    const membership: Partial<Record<Person, string[]>> = {
      owner: [chat.group, chat.direct],
      admin: [chat.group],
      member: [chat.group, chat.direct],
      quiet: [chat.group],
    };
    return membership[who] ?? [];
  };

  beforeAll(async () => {
    const people = await db()
      .insert(user)
      .values([
        { name: "Owner", email: "owner@example.test" },
        { name: "Admin", email: "admin@example.test" },
        { name: "Member", email: "member@example.test" },
        { name: "Leaver", email: "leaver@example.test" },
        { name: "Quiet", email: "quiet@example.test" },
        { name: "Extra", email: "extra@example.test" },
        { name: "Spare", email: "spare@example.test" },
        { name: "Outsider", email: "outsider@example.test" },
        { name: "Site", email: "site@example.test", role: "admin" },
        { name: "Banned", email: "banned@example.test", banned: true, banReason: "spam" },
      ])
      .returning({ id: user.id, name: user.name });
    for (const p of people) ids[p.name.toLowerCase() as Person] = p.id;
    // Everyone here shares one workspace, the one each request runs in.
    team = await shareWorkspace(Object.values(ids));

    chat.group = await createGroup("owner", "Group", ["admin", "member", "leaver", "quiet"]);
    await as("owner", (tx) =>
      tx
        .update(chatMembers)
        .set({ role: "admin" })
        .where(and(eq(chatMembers.chatId, chat.group), eq(chatMembers.userId, ids.admin))),
    );
    chat.direct = await as("owner", async (tx) => {
      const rows = await queryRows<{ id: string }>(
        tx,
        sql`select public.create_direct_chat(${ids.member}::uuid) as id`,
      );
      return rows[0]!.id;
    });

    // The member speaks first, so their read pointer trails the chat's last message.
    msg.memberHello = (await send("member", chat.group, "hello from member")).id;
    msg.ownerHello = (await send("owner", chat.group, "hello from owner")).id;
    msg.adminHello = (await send("admin", chat.group, "hello from admin")).id;
    msg.directOwner = (await send("owner", chat.direct, "direct from owner")).id;
    msg.directMember = (await send("member", chat.direct, "direct from member")).id;
  });

  describe("fixtures", () => {
    it("made the chats through the functions: owner, admin and members in place", async () => {
      const rows = await db()
        .select({ chatId: chatMembers.chatId, userId: chatMembers.userId, role: chatMembers.role })
        .from(chatMembers);
      const roles = Object.fromEntries(rows.map((r) => [`${r.chatId}:${r.userId}`, r.role]));
      expect(roles).toEqual({
        [`${chat.group}:${ids.owner}`]: "owner",
        [`${chat.group}:${ids.admin}`]: "admin",
        [`${chat.group}:${ids.member}`]: "member",
        [`${chat.group}:${ids.leaver}`]: "member",
        [`${chat.group}:${ids.quiet}`]: "member",
        [`${chat.direct}:${ids.owner}`]: "member",
        [`${chat.direct}:${ids.member}`]: "member",
      });
      // chat_created (1), role_changed (2), then the three hellos.
      expect(await lastSeq(chat.group)).toBe(5);
      expect(await lastSeq(chat.direct)).toBe(2);
    });
  });

  describe("chats", () => {
    const visible = (who: Who) =>
      as(who, async (tx) =>
        sorted((await tx.select({ id: chats.id }).from(chats)).map((r) => r.id)),
      );

    it("select: members see their chats; non-members and site admins nothing; anon refused", async () => {
      expect(await visible("owner")).toEqual(sorted([chat.group, chat.direct]));
      expect(await visible("admin")).toEqual([chat.group]);
      expect(await visible("member")).toEqual(sorted([chat.group, chat.direct]));
      expect(await visible("quiet")).toEqual([chat.group]);
      expect(await visible("outsider")).toEqual([]);
      expect(await visible("site")).toEqual([]);
      expect(await outcome(visible("anon"))).toBe(DENIED);
    });

    it("insert: refused to every request role (chats are made by the functions only)", async () => {
      for (const who of ["owner", "member", "outsider", "site", "anon"] as const) {
        expect(
          await outcome(
            as(who, (tx) =>
              tx.insert(chats).values({
                type: "group",
                name: `Forged by ${who}`,
                createdBy: who === "anon" ? null : ids[who],
              }),
            ),
          ),
        ).toBe(DENIED);
      }
      expect(
        await outcome(
          as("owner", (tx) =>
            tx.insert(chats).values({
              type: "direct",
              directKey: `${ids.owner}:${ids.outsider}`,
              createdBy: ids.owner,
            }),
          ),
        ),
      ).toBe(DENIED);
      expect(await outcome(createGroup("anon", "Anon group", ["member"]))).toBe(DENIED);
      // The functions keep their own rules: no banned members; system messages are theirs alone.
      expect(await outcome(createGroup("owner", "Forged by owner", ["banned"]))).toBe(INVALID);
      expect(
        await outcome(
          as("owner", (tx) =>
            queryRows(
              tx,
              sql`select public.post_system_message(${chat.group}::uuid, '{"kind":"chat_created"}'::jsonb)`,
            ),
          ),
        ),
      ).toBe(DENIED);
      const forged = await db()
        .select({ id: chats.id })
        .from(chats)
        .where(sql`${chats.name} like 'Forged by %' or ${chats.name} = 'Anon group'`);
      expect(forged).toEqual([]);
    });

    it("update name: group owner and admin only", async () => {
      const rename = (who: Who, chatId: string, name: string) =>
        as(
          who,
          async (tx) =>
            (
              await tx
                .update(chats)
                .set({ name })
                .where(eq(chats.id, chatId))
                .returning({ id: chats.id })
            ).length,
        );
      expect(await rename("owner", chat.group, "Renamed by owner")).toBe(1);
      expect(await rename("admin", chat.group, "Renamed by admin")).toBe(1);
      expect(await rename("member", chat.group, "Renamed by member")).toBe(0);
      expect(await rename("outsider", chat.group, "Renamed by outsider")).toBe(0);
      expect(await rename("site", chat.group, "Renamed by site")).toBe(0);
      expect(await outcome(rename("anon", chat.group, "Renamed by anon"))).toBe(DENIED);
      expect(
        await as(
          "admin",
          async (tx) =>
            (
              await tx
                .update(chats)
                .set({
                  description: "About",
                  avatarPath: chatAvatarUrl({ chatId: chat.group, hash: "ab".repeat(8) }),
                })
                .where(eq(chats.id, chat.group))
                .returning({ id: chats.id })
            ).length,
        ),
      ).toBe(1);

      const [row] = await db().select().from(chats).where(eq(chats.id, chat.group));
      expect(row).toMatchObject({
        name: "Renamed by admin",
        description: "About",
        avatarPath: chatAvatarUrl({ chatId: chat.group, hash: "ab".repeat(8) }),
      });
      const renames = await db()
        .select({ senderId: messages.senderId, type: messages.type })
        .from(messages)
        .where(
          and(
            eq(messages.chatId, chat.group),
            sql`${messages.metadata} ->> 'kind' = 'chat_renamed'`,
          ),
        )
        .orderBy(messages.seq);
      expect(renames).toEqual([
        { senderId: ids.owner, type: "system" },
        { senderId: ids.admin, type: "system" },
      ]);
    });

    it("update: lastSeq, type, createdBy and directKey are not granted", async () => {
      const group = eq(chats.id, chat.group);
      const before = await lastSeq(chat.group);
      for (const who of ["owner", "admin"] as const) {
        expect(
          await outcome(as(who, (tx) => tx.update(chats).set({ lastSeq: 0 }).where(group))),
        ).toBe(DENIED);
        expect(
          await outcome(as(who, (tx) => tx.update(chats).set({ type: "direct" }).where(group))),
        ).toBe(DENIED);
        expect(
          await outcome(
            as(who, (tx) => tx.update(chats).set({ createdBy: ids.member }).where(group)),
          ),
        ).toBe(DENIED);
        expect(
          await outcome(as(who, (tx) => tx.update(chats).set({ directKey: "x:y" }).where(group))),
        ).toBe(DENIED);
      }
      const [row] = await db().select().from(chats).where(group);
      expect(row).toMatchObject({
        lastSeq: before,
        type: "group",
        createdBy: ids.owner,
        directKey: null,
      });
    });

    it("a direct chat cannot be renamed or deleted by its members", async () => {
      for (const who of ["owner", "member"] as const) {
        expect(
          await as(
            who,
            async (tx) =>
              (
                await tx
                  .update(chats)
                  .set({ name: "Direct renamed" })
                  .where(eq(chats.id, chat.direct))
                  .returning({ id: chats.id })
              ).length,
          ),
        ).toBe(0);
        expect(
          await outcome(
            as(who, (tx) => tx.execute(sql`select public.delete_group_chat(${chat.direct}::uuid)`)),
          ),
        ).toBe(DENIED);
      }
      const [row] = await db().select().from(chats).where(eq(chats.id, chat.direct));
      expect(row?.name).toBeNull();
    });

    it("delete: never a row; the group owner soft-deletes through delete_group_chat", async () => {
      const doomed = await createGroup("owner", "Doomed", ["admin", "member"]);
      await as("owner", (tx) =>
        tx
          .update(chatMembers)
          .set({ role: "admin" })
          .where(and(eq(chatMembers.chatId, doomed), eq(chatMembers.userId, ids.admin))),
      );
      const { id: messageId } = await send("member", doomed, "before the end");
      for (const who of ["owner", "admin", "member", "outsider", "site", "anon"] as const) {
        expect(await outcome(as(who, (tx) => tx.delete(chats).where(eq(chats.id, doomed))))).toBe(
          DENIED,
        );
      }
      const softDelete = (who: Who) =>
        outcome(as(who, (tx) => tx.execute(sql`select public.delete_group_chat(${doomed}::uuid)`)));
      for (const who of ["admin", "member", "outsider", "site", "anon"] as const) {
        expect(await softDelete(who), who).toBe(DENIED);
      }
      // Nor by writing the columns themselves.
      expect(
        await outcome(
          as("owner", (tx) =>
            tx.update(chats).set({ deletedAt: new Date() }).where(eq(chats.id, doomed)),
          ),
        ),
      ).toBe(DENIED);
      expect(await softDelete("owner")).toBe("ok");
      expect(await softDelete("owner")).toBe(DENIED);

      // Hidden from everyone, on every table and topic; the rows are kept.
      for (const who of ["owner", "admin", "member"] as const) {
        const seen = await as(who, async (tx) => ({
          chats: await tx.select().from(chats).where(eq(chats.id, doomed)),
          members: await tx.select().from(chatMembers).where(eq(chatMembers.chatId, doomed)),
          messages: await tx.select().from(messages).where(eq(messages.chatId, doomed)),
          join: await queryRows<{ ok: boolean }>(
            tx,
            sql`select public.realtime_can_join(${`chat:${doomed}`}) as ok`,
          ),
        }));
        expect(seen, who).toEqual({ chats: [], members: [], messages: [], join: [{ ok: false }] });
        expect(await outcome(send(who, doomed, "anyone?")), who).toBe(DENIED);
      }
      const [kept] = await db().select().from(chats).where(eq(chats.id, doomed));
      expect(kept).toMatchObject({ deletedBy: ids.owner });
      expect(recent(kept?.deletedAt)).toBe(true);
      expect(
        await db().select({ id: messages.id }).from(messages).where(eq(messages.id, messageId)),
      ).toHaveLength(1);
      const archived = await queryRows<{ userId: string; role: string }>(
        db(),
        sql`select "userId"::text, role from public.deleted_chat_members where "chatId" = ${doomed}::uuid`,
      );
      expect(sorted(archived.map((m) => `${m.userId}:${m.role}`))).toEqual(
        sorted([`${ids.owner}:owner`, `${ids.admin}:admin`, `${ids.member}:member`]),
      );
      // Its end posted nothing into it: no one left, no one was removed.
      const kinds = await db()
        .select({ kind: sql<string>`${messages.metadata} ->> 'kind'` })
        .from(messages)
        .where(and(eq(messages.chatId, doomed), eq(messages.type, "system")));
      expect(kinds.map((k) => k.kind)).toEqual(["chat_created", "role_changed"]);
    });
  });

  describe("chat_members", () => {
    const key = (chatId: string, userId: string) => `${chatId}:${userId}`;
    const pairs = (chatId: string, people: Person[]) => people.map((p) => key(chatId, ids[p]));
    const visible = (who: Who) =>
      as(who, async (tx) =>
        sorted(
          (
            await tx
              .select({ chatId: chatMembers.chatId, userId: chatMembers.userId })
              .from(chatMembers)
          ).map((r) => key(r.chatId, r.userId)),
        ),
      );
    const row = async (chatId: string, who: Person) => {
      const [found] = await db()
        .select()
        .from(chatMembers)
        .where(and(eq(chatMembers.chatId, chatId), eq(chatMembers.userId, ids[who])));
      return found;
    };
    const inGroup = (who: Person) =>
      and(eq(chatMembers.chatId, chat.group), eq(chatMembers.userId, ids[who]));

    it("select: members see every member of their chats; others nothing", async () => {
      const group = pairs(chat.group, ["owner", "admin", "member", "leaver", "quiet"]);
      const direct = pairs(chat.direct, ["owner", "member"]);
      expect(await visible("owner")).toEqual(sorted([...group, ...direct]));
      expect(await visible("admin")).toEqual(sorted(group));
      expect(await visible("member")).toEqual(sorted([...group, ...direct]));
      expect(await visible("leaver")).toEqual(sorted(group));
      expect(await visible("outsider")).toEqual([]);
      expect(await visible("site")).toEqual([]);
      expect(await outcome(visible("anon"))).toBe(DENIED);
    });

    it("insert: group owners and admins add members, never as owner", async () => {
      const add = (who: Who, chatId: string, target: Person, role: "owner" | "admin" | "member") =>
        as(who, (tx) => tx.insert(chatMembers).values({ chatId, userId: ids[target], role }));
      expect(await outcome(add("member", chat.group, "spare", "member"))).toBe(DENIED);
      expect(await outcome(add("outsider", chat.group, "outsider", "member"))).toBe(DENIED);
      expect(await outcome(add("site", chat.group, "site", "member"))).toBe(DENIED);
      expect(await outcome(add("anon", chat.group, "spare", "member"))).toBe(DENIED);
      expect(await outcome(add("admin", chat.group, "spare", "owner"))).toBe(DENIED);
      expect(await outcome(add("owner", chat.group, "spare", "owner"))).toBe(DENIED);
      expect(await outcome(add("owner", chat.direct, "spare", "member"))).toBe(DENIED);
      // Banned users cannot be added, by the functions or directly.
      expect(await outcome(add("admin", chat.group, "banned", "member"))).toBe(INVALID);
      expect(await row(chat.group, "banned")).toBeUndefined();
      expect(await row(chat.group, "spare")).toBeUndefined();
      expect(await row(chat.direct, "spare")).toBeUndefined();

      // A member added by a request starts with the history read and default settings.
      const before = await lastSeq(chat.group);
      expect(
        await outcome(
          as("admin", (tx) =>
            tx.insert(chatMembers).values({
              chatId: chat.group,
              userId: ids.extra,
              role: "member",
              joinedAt: new Date(0),
              lastReadSeq: 0,
              lastDeliveredSeq: 0,
              notificationLevel: "none",
              mutedUntil: new Date(Date.now() + 3_600_000),
              hiddenAt: new Date(),
              lastReadAt: new Date(0),
              lastReadOrdinal: 999_999,
            }),
          ),
        ),
      ).toBe("ok");
      const added = await row(chat.group, "extra");
      const [group] = await db()
        .select({ lastOrdinal: chats.lastOrdinal })
        .from(chats)
        .where(eq(chats.id, chat.group));
      // Whatever the adder sends, a new member starts as everyone does.
      expect(added).toMatchObject({
        role: "member",
        lastReadSeq: before,
        lastDeliveredSeq: before,
        lastReadOrdinal: group!.lastOrdinal,
        notificationLevel: "all",
        mutedUntil: null,
        hiddenAt: null,
        lastReadAt: null,
      });
      expect(recent(added?.joinedAt)).toBe(true);
    });

    const setRead = (who: Who, target: Person, lastReadSeq: number) =>
      as(who, (tx) =>
        tx.update(chatMembers).set({ lastReadSeq }).where(inGroup(target)).returning({
          lastReadSeq: chatMembers.lastReadSeq,
          lastDeliveredSeq: chatMembers.lastDeliveredSeq,
        }),
      );

    it("update own read pointer: forward only, never past the last message", async () => {
      const start = (await row(chat.group, "member"))!.lastReadSeq;
      const last = await lastSeq(chat.group);
      expect(start).toBeLessThan(last);

      const [forward] = await setRead("member", "member", start + 1);
      expect(forward?.lastReadSeq).toBe(start + 1);
      expect(forward!.lastDeliveredSeq).toBeGreaterThanOrEqual(start + 1);

      const [backward] = await setRead("member", "member", 1);
      expect(backward?.lastReadSeq).toBe(start + 1);
      expect((await row(chat.group, "member"))?.lastReadSeq).toBe(start + 1);

      expect(await outcome(setRead("member", "member", last + 5))).toBe(INVALID);
      expect((await row(chat.group, "member"))?.lastReadSeq).toBe(start + 1);

      expect(
        (
          await as("member", (tx) =>
            tx
              .update(chatMembers)
              .set({ notificationLevel: "mentions" })
              .where(inGroup("member"))
              .returning({ level: chatMembers.notificationLevel }),
          )
        ).map((r) => r.level),
      ).toEqual(["mentions"]);
    });

    it("update others' rows: hidden from members and outsiders; admins never touch settings", async () => {
      const before = (await row(chat.group, "member"))!.lastReadSeq;
      expect(await setRead("member", "admin", 1)).toEqual([]);
      expect(await setRead("member", "owner", 1)).toEqual([]);
      expect(await setRead("outsider", "member", before + 1)).toEqual([]);
      expect(await setRead("site", "member", before + 1)).toEqual([]);
      expect(await outcome(setRead("anon", "member", before + 1))).toBe(DENIED);
      expect(await outcome(setRead("admin", "member", before + 1))).toBe(DENIED);
      expect(await outcome(setRead("owner", "member", before + 1))).toBe(DENIED);
      expect((await row(chat.group, "member"))?.lastReadSeq).toBe(before);
    });

    it("roles: owners and admins change members' roles; never the owner's, never their own, never to owner", async () => {
      const setRole = (who: Who, target: Person, role: "owner" | "admin" | "member") =>
        as(
          who,
          async (tx) =>
            (
              await tx
                .update(chatMembers)
                .set({ role })
                .where(inGroup(target))
                .returning({ userId: chatMembers.userId })
            ).length,
        );
      expect(await setRole("admin", "extra", "admin")).toBe(1);
      expect((await row(chat.group, "extra"))?.role).toBe("admin");
      expect(await setRole("owner", "extra", "member")).toBe(1);
      expect((await row(chat.group, "extra"))?.role).toBe("member");

      expect(await outcome(setRole("admin", "owner", "member"))).toBe(DENIED);
      expect(await outcome(setRole("admin", "owner", "admin"))).toBe(DENIED);
      expect(await outcome(setRole("admin", "member", "owner"))).toBe(DENIED);
      expect(await outcome(setRole("owner", "member", "owner"))).toBe(DENIED);
      expect(await outcome(setRole("owner", "owner", "admin"))).toBe(DENIED);
      expect(await outcome(setRole("admin", "admin", "member"))).toBe(DENIED);
      expect(await outcome(setRole("member", "member", "admin"))).toBe(DENIED);
      // A member has no UPDATE policy on other rows: the owner's row is filtered out first.
      expect(await setRole("member", "owner", "member")).toBe(0);
      expect(await setRole("member", "quiet", "admin")).toBe(0);
      expect(await setRole("outsider", "member", "admin")).toBe(0);
      expect(await setRole("site", "member", "admin")).toBe(0);
      expect(await outcome(setRole("anon", "member", "admin"))).toBe(DENIED);

      for (const [who, role] of [
        ["owner", "owner"],
        ["admin", "admin"],
        ["member", "member"],
        ["quiet", "member"],
      ] as const) {
        expect((await row(chat.group, who))?.role).toBe(role);
      }
      // Direct chats have no roles to hand out.
      expect(
        await as(
          "owner",
          async (tx) =>
            (
              await tx
                .update(chatMembers)
                .set({ role: "admin" })
                .where(and(eq(chatMembers.chatId, chat.direct), eq(chatMembers.userId, ids.member)))
                .returning({ userId: chatMembers.userId })
            ).length,
        ),
      ).toBe(0);
    });

    it("transfer_chat_ownership: only the owner, only to another member", async () => {
      const handover = await createGroup("owner", "Handover", ["member"]);
      const transfer = (who: Who, chatId: string, to: Person) =>
        as(who, (tx) =>
          queryRows(
            tx,
            sql`select public.transfer_chat_ownership(${chatId}::uuid, ${ids[to]}::uuid)`,
          ),
        );
      expect(await outcome(transfer("member", handover, "member"))).toBe(DENIED);
      expect(await outcome(transfer("outsider", handover, "outsider"))).toBe("P0002");
      expect(await outcome(transfer("anon", handover, "member"))).toBe(DENIED);
      expect(await outcome(transfer("owner", handover, "outsider"))).toBe(INVALID);
      expect(await outcome(transfer("owner", handover, "owner"))).toBe(INVALID);
      expect(await outcome(transfer("owner", chat.direct, "member"))).toBe(DENIED);
      expect(await outcome(transfer("owner", handover, "member"))).toBe("ok");
      expect((await row(handover, "member"))?.role).toBe("owner");
      expect((await row(handover, "owner"))?.role).toBe("admin");

      const remove = (who: Who) =>
        outcome(
          as(who, (tx) => tx.execute(sql`select public.delete_group_chat(${handover}::uuid)`)),
        );
      expect(await remove("owner")).toBe(DENIED);
      expect(await remove("member")).toBe("ok");
    });

    it("delete: members leave, admins remove; the owner stays; direct chats are not left", async () => {
      const remove = (who: Who, chatId: string, target: Person) =>
        as(
          who,
          async (tx) =>
            (
              await tx
                .delete(chatMembers)
                .where(and(eq(chatMembers.chatId, chatId), eq(chatMembers.userId, ids[target])))
                .returning({ userId: chatMembers.userId })
            ).length,
        );
      expect(await remove("member", chat.group, "extra")).toBe(0);
      expect(await remove("member", chat.group, "owner")).toBe(0);
      expect(await remove("outsider", chat.group, "member")).toBe(0);
      expect(await remove("site", chat.group, "member")).toBe(0);
      expect(await outcome(remove("anon", chat.group, "member"))).toBe(DENIED);
      expect(await outcome(remove("owner", chat.group, "owner"))).toBe(DENIED);
      expect(await outcome(remove("admin", chat.group, "owner"))).toBe(DENIED);
      expect(await outcome(remove("member", chat.direct, "member"))).toBe(DENIED);
      expect(await outcome(remove("owner", chat.direct, "owner"))).toBe(DENIED);
      // Nobody moderates a direct chat: the other member's row is not even deletable.
      expect(await remove("owner", chat.direct, "member")).toBe(0);
      expect(await row(chat.group, "owner")).toBeDefined();
      expect(await row(chat.direct, "member")).toBeDefined();
      expect(await row(chat.group, "extra")).toBeDefined();

      expect(await remove("leaver", chat.group, "leaver")).toBe(1);
      expect(await row(chat.group, "leaver")).toBeUndefined();
      expect(await visible("leaver")).toEqual([]);

      expect(await remove("admin", chat.group, "extra")).toBe(1);
      expect(await row(chat.group, "extra")).toBeUndefined();

      const kinds = await db()
        .select({ kind: sql<string>`${messages.metadata} ->> 'kind'`, senderId: messages.senderId })
        .from(messages)
        .where(
          and(
            eq(messages.chatId, chat.group),
            sql`${messages.metadata} ->> 'kind' in ('member_left', 'member_removed')`,
          ),
        )
        .orderBy(messages.seq);
      expect(kinds).toEqual([
        { kind: "member_left", senderId: ids.leaver },
        { kind: "member_removed", senderId: ids.admin },
      ]);
    });
  });

  describe("messages", () => {
    const visible = (who: Who) =>
      as(who, async (tx) =>
        sorted((await tx.select({ id: messages.id }).from(messages)).map((r) => r.id)),
      );
    const messagesOf = async (chatIds: string[]) =>
      sorted(
        (
          await db()
            .select({ id: messages.id })
            .from(messages)
            .where(inArray(messages.chatId, chatIds))
        ).map((r) => r.id),
      );
    const stored = async (id: string) => {
      const [found] = await db().select().from(messages).where(eq(messages.id, id));
      return found!;
    };
    const edit = (who: Who, id: string, content: string) =>
      as(
        who,
        async (tx) =>
          (
            await tx
              .update(messages)
              .set({ content })
              .where(eq(messages.id, id))
              .returning({ id: messages.id })
          ).length,
      );
    const softDelete = (who: Who, id: string, extra: { deletedBy?: string } = {}) =>
      as(
        who,
        async (tx) =>
          (
            await tx
              .update(messages)
              .set({ deletedAt: new Date(0), ...extra })
              .where(eq(messages.id, id))
              .returning({ id: messages.id })
          ).length,
      );

    it("select: members see the messages of their chats; others nothing", async () => {
      for (const who of ["owner", "admin", "member", "quiet"] as const) {
        const expected = await messagesOf(chatsOf(who));
        expect(expected.length).toBeGreaterThan(0);
        expect(await visible(who)).toEqual(expected);
      }
      expect(await visible("leaver")).toEqual([]);
      expect(await visible("outsider")).toEqual([]);
      expect(await visible("site")).toEqual([]);
      expect(await outcome(visible("anon"))).toBe(DENIED);
    });

    it("insert: as yourself, with consecutive sequence numbers", async () => {
      const before = await lastSeq(chat.group);
      const first = await send("member", chat.group, "one");
      const second = await send("admin", chat.group, "two");
      const third = await send("owner", chat.group, "three");
      expect([first.seq, second.seq, third.seq]).toEqual([before + 1, before + 2, before + 3]);
      expect(await lastSeq(chat.group)).toBe(before + 3);

      const directBefore = await lastSeq(chat.direct);
      expect((await send("member", chat.direct, "direct again")).seq).toBe(directBefore + 1);
    });

    it("insert: never as someone else, never a system message, never into another chat", async () => {
      const groupBefore = await lastSeq(chat.group);
      const directBefore = await lastSeq(chat.direct);
      const insert = (
        who: Who,
        values: { chatId: string; senderId: string | null; type?: "text" | "system" },
      ) =>
        as(who, (tx) =>
          tx.insert(messages).values({ ...values, seq: 0, content: `forged by ${who}` }),
        );
      expect(await outcome(insert("member", { chatId: chat.group, senderId: ids.owner }))).toBe(
        DENIED,
      );
      expect(
        await outcome(
          insert("member", { chatId: chat.group, senderId: ids.member, type: "system" }),
        ),
      ).toBe(DENIED);
      expect(
        await outcome(insert("owner", { chatId: chat.group, senderId: ids.owner, type: "system" })),
      ).toBe(DENIED);
      expect(
        await outcome(insert("outsider", { chatId: chat.group, senderId: ids.outsider })),
      ).toBe(DENIED);
      expect(await outcome(insert("site", { chatId: chat.group, senderId: ids.site }))).toBe(
        DENIED,
      );
      expect(await outcome(insert("leaver", { chatId: chat.group, senderId: ids.leaver }))).toBe(
        DENIED,
      );
      expect(await outcome(insert("admin", { chatId: chat.direct, senderId: ids.admin }))).toBe(
        DENIED,
      );
      expect(await outcome(insert("anon", { chatId: chat.group, senderId: null }))).toBe(DENIED);

      const forged = await db()
        .select({ id: messages.id })
        .from(messages)
        .where(sql`${messages.content} like 'forged by %'`);
      expect(forged).toEqual([]);
      expect(await lastSeq(chat.group)).toBe(groupBefore);
      expect(await lastSeq(chat.direct)).toBe(directBefore);
    });

    it("insert: the request cannot choose timestamps, deletion or metadata", async () => {
      const [inserted] = await as("member", (tx) =>
        tx
          .insert(messages)
          .values({
            chatId: chat.group,
            senderId: ids.member,
            seq: 0,
            content: "sneaky",
            createdAt: new Date(0),
            editedAt: new Date(0),
            deletedAt: new Date(0),
            deletedBy: ids.owner,
            metadata: { kind: "chat_created", actorId: ids.owner },
          })
          .returning({ id: messages.id }),
      );
      const row = await stored(inserted!.id);
      expect(recent(row.createdAt)).toBe(true);
      expect(row).toMatchObject({
        content: "sneaky",
        type: "text",
        editedAt: null,
        deletedAt: null,
        deletedBy: null,
        metadata: null,
      });
    });

    it("update content: the sender only, and the old text goes to message_edits", async () => {
      expect(await outcome(edit("admin", msg.memberHello, "edited by admin"))).toBe(DENIED);
      expect(await outcome(edit("owner", msg.memberHello, "edited by owner"))).toBe(DENIED);
      expect(await edit("member", msg.ownerHello, "edited by member")).toBe(0);
      expect(await edit("quiet", msg.memberHello, "edited by quiet")).toBe(0);
      expect(await edit("outsider", msg.memberHello, "edited by outsider")).toBe(0);
      expect(await edit("site", msg.memberHello, "edited by site")).toBe(0);
      expect(await outcome(edit("anon", msg.memberHello, "edited by anon"))).toBe(DENIED);
      expect((await stored(msg.memberHello)).content).toBe("hello from member");
      expect((await stored(msg.ownerHello)).content).toBe("hello from owner");

      expect(await edit("member", msg.memberHello, "hello, edited")).toBe(1);
      const row = await stored(msg.memberHello);
      expect(row.content).toBe("hello, edited");
      expect(recent(row.editedAt)).toBe(true);
      const history = await db()
        .select({
          chatId: messageEdits.chatId,
          previousContent: messageEdits.previousContent,
          editedBy: messageEdits.editedBy,
        })
        .from(messageEdits)
        .where(eq(messageEdits.messageId, msg.memberHello));
      expect(history).toEqual([
        { chatId: chat.group, previousContent: "hello from member", editedBy: ids.member },
      ]);
    });

    it("soft delete: the sender or a group owner/admin; content cleared, deleter recorded", async () => {
      const rude = (await send("member", chat.group, "rude words")).id;
      msg.deleted = rude;

      expect(await softDelete("member", msg.ownerHello)).toBe(0);
      expect(await softDelete("quiet", rude)).toBe(0);
      expect(await softDelete("outsider", rude)).toBe(0);
      expect(await softDelete("site", rude)).toBe(0);
      expect(await outcome(softDelete("anon", rude))).toBe(DENIED);
      // No moderators in a direct chat.
      expect(await softDelete("owner", msg.directMember)).toBe(0);
      expect((await stored(rude)).deletedAt).toBeNull();
      expect((await stored(msg.ownerHello)).deletedAt).toBeNull();
      expect((await stored(msg.directMember)).deletedAt).toBeNull();

      expect(await softDelete("admin", rude, { deletedBy: ids.owner })).toBe(1);
      const row = await stored(rude);
      expect(row).toMatchObject({ content: "", deletedBy: ids.admin });
      expect(recent(row.deletedAt)).toBe(true);
      const history = await db()
        .select({ previousContent: messageEdits.previousContent, editedBy: messageEdits.editedBy })
        .from(messageEdits)
        .where(eq(messageEdits.messageId, rude));
      expect(history).toEqual([{ previousContent: "rude words", editedBy: ids.admin }]);

      // Deletion is one-way.
      expect(await outcome(edit("member", rude, "back again"))).toBe(INVALID);
      expect(
        await outcome(
          as("admin", (tx) =>
            tx.update(messages).set({ deletedAt: null }).where(eq(messages.id, rude)),
          ),
        ),
      ).toBe(INVALID);

      // The sender deletes their own message, in a direct chat too.
      const oops = (await send("member", chat.direct, "oops")).id;
      expect(await softDelete("member", oops, { deletedBy: ids.owner })).toBe(1);
      expect(await stored(oops)).toMatchObject({ content: "", deletedBy: ids.member });
    });

    it("update: seq, chatId, senderId and type are not granted", async () => {
      const mine = eq(messages.id, msg.memberHello);
      for (const who of ["member", "admin"] as const) {
        expect(
          await outcome(as(who, (tx) => tx.update(messages).set({ seq: 1 }).where(mine))),
        ).toBe(DENIED);
        expect(
          await outcome(
            as(who, (tx) => tx.update(messages).set({ chatId: chat.direct }).where(mine)),
          ),
        ).toBe(DENIED);
        expect(
          await outcome(
            as(who, (tx) => tx.update(messages).set({ senderId: ids.owner }).where(mine)),
          ),
        ).toBe(DENIED);
        expect(
          await outcome(as(who, (tx) => tx.update(messages).set({ type: "system" }).where(mine))),
        ).toBe(DENIED);
      }
      expect(await stored(msg.memberHello)).toMatchObject({
        chatId: chat.group,
        senderId: ids.member,
        type: "text",
        seq: 3,
      });
    });

    it("delete: refused to every request role (soft delete only)", async () => {
      for (const who of ["owner", "admin", "member", "outsider", "site", "anon"] as const) {
        expect(
          await outcome(
            as(who, (tx) => tx.delete(messages).where(eq(messages.id, msg.adminHello))),
          ),
        ).toBe(DENIED);
        expect(
          await outcome(
            as(who, (tx) => tx.delete(messages).where(eq(messages.chatId, chat.group))),
          ),
        ).toBe(DENIED);
      }
      expect(await stored(msg.adminHello)).toBeDefined();
    });
  });

  describe("message_edits", () => {
    const edits = { live: "", deleted: [] as string[] };

    beforeAll(async () => {
      const draft = (await send("member", chat.group, "draft")).id;
      const secret = (await send("member", chat.group, "secret")).id;
      for (const [id, content] of [
        [draft, "draft v2"],
        [secret, "secret v2"],
      ] as const) {
        await as("member", (tx) => tx.update(messages).set({ content }).where(eq(messages.id, id)));
      }
      await as("member", (tx) =>
        tx.update(messages).set({ deletedAt: new Date() }).where(eq(messages.id, secret)),
      );
      const rows = await db()
        .select({ id: messageEdits.id, messageId: messageEdits.messageId })
        .from(messageEdits)
        .where(inArray(messageEdits.messageId, [draft, secret]));
      edits.live = rows.find((r) => r.messageId === draft)!.id;
      edits.deleted = rows.filter((r) => r.messageId === secret).map((r) => r.id);
      expect(edits.deleted).toHaveLength(2);
    });

    const visible = (who: Who) =>
      as(who, async (tx) =>
        sorted((await tx.select({ id: messageEdits.id }).from(messageEdits)).map((r) => r.id)),
      );

    it("select: members see the history of live messages only", async () => {
      for (const who of ["owner", "admin", "member", "quiet"] as const) {
        const expected = sorted(
          (
            await db()
              .select({ id: messageEdits.id })
              .from(messageEdits)
              .innerJoin(messages, eq(messages.id, messageEdits.messageId))
              .where(and(inArray(messageEdits.chatId, chatsOf(who)), isNull(messages.deletedAt)))
          ).map((r) => r.id),
        );
        const seen = await visible(who);
        expect(seen).toEqual(expected);
        expect(seen).toContain(edits.live);
        for (const hidden of edits.deleted) expect(seen).not.toContain(hidden);
      }
      expect(await visible("leaver")).toEqual([]);
      expect(await visible("outsider")).toEqual([]);
      expect(await visible("site")).toEqual([]);
      expect(await outcome(visible("anon"))).toBe(DENIED);
    });

    it("insert, update and delete: refused to every request role", async () => {
      for (const who of ["owner", "admin", "member", "outsider", "site", "anon"] as const) {
        expect(
          await outcome(
            as(who, (tx) =>
              tx.insert(messageEdits).values({
                messageId: msg.ownerHello,
                chatId: chat.group,
                previousContent: "forged",
                editedBy: who === "anon" ? null : ids[who],
              }),
            ),
          ),
        ).toBe(DENIED);
        expect(
          await outcome(
            as(who, (tx) =>
              tx
                .update(messageEdits)
                .set({ previousContent: "rewritten" })
                .where(eq(messageEdits.id, edits.live)),
            ),
          ),
        ).toBe(DENIED);
        expect(
          await outcome(
            as(who, (tx) => tx.delete(messageEdits).where(eq(messageEdits.id, edits.live))),
          ),
        ).toBe(DENIED);
      }
      const [live] = await db().select().from(messageEdits).where(eq(messageEdits.id, edits.live));
      expect(live?.previousContent).toBe("draft");
      expect(
        await db()
          .select({ id: messageEdits.id })
          .from(messageEdits)
          .where(eq(messageEdits.previousContent, "forged")),
      ).toEqual([]);
    });
  });

  describe("message_reactions", () => {
    const key = (r: { messageId: string; userId: string; emoji: string }) =>
      `${r.messageId}:${r.userId}:${r.emoji}`;
    const visible = (who: Who) =>
      as(who, async (tx) =>
        sorted(
          (
            await tx
              .select({
                messageId: messageReactions.messageId,
                userId: messageReactions.userId,
                emoji: messageReactions.emoji,
              })
              .from(messageReactions)
          ).map(key),
        ),
      );
    const react = (who: Who, messageId: string, userId: string, emoji: string, chatId: string) =>
      as(who, (tx) => tx.insert(messageReactions).values({ messageId, userId, emoji, chatId }));

    it("insert: your own reaction, with chatId copied from the message", async () => {
      // A wrong chatId is overwritten by the trigger before the policy checks it. Messages
      // outside the caller's chats are "not found", whether or not they exist.
      expect(await outcome(react("member", msg.ownerHello, ids.member, "👍", chat.direct))).toBe(
        "ok",
      );
      expect(await outcome(react("admin", msg.ownerHello, ids.admin, "🎉", chat.group))).toBe("ok");
      const rows = await db()
        .select({ userId: messageReactions.userId, chatId: messageReactions.chatId })
        .from(messageReactions);
      expect(rows).toHaveLength(2);
      for (const r of rows) expect(r.chatId).toBe(chat.group);

      expect(await outcome(react("member", msg.ownerHello, ids.owner, "👎", chat.group))).toBe(
        DENIED,
      );
      expect(await outcome(react("outsider", msg.ownerHello, ids.outsider, "👀", chat.group))).toBe(
        NOT_VISIBLE,
      );
      expect(
        await outcome(react("outsider", msg.ownerHello, ids.outsider, "👀", chat.direct)),
      ).toBe(NOT_VISIBLE);
      expect(await outcome(react("site", msg.ownerHello, ids.site, "👀", chat.group))).toBe(
        NOT_VISIBLE,
      );
      expect(await outcome(react("leaver", msg.ownerHello, ids.leaver, "👀", chat.group))).toBe(
        NOT_VISIBLE,
      );
      expect(await outcome(react("admin", msg.directOwner, ids.admin, "👀", chat.group))).toBe(
        NOT_VISIBLE,
      );
      expect(await outcome(react("anon", msg.ownerHello, ids.member, "👀", chat.group))).toBe(
        DENIED,
      );
      expect(await outcome(react("member", msg.deleted, ids.member, "👍", chat.group))).toBe(
        INVALID,
      );
      expect(await db().select().from(messageReactions)).toHaveLength(2);
    });

    it("select: members see the reactions in their chats; others nothing", async () => {
      const all = sorted([
        key({ messageId: msg.ownerHello, userId: ids.member, emoji: "👍" }),
        key({ messageId: msg.ownerHello, userId: ids.admin, emoji: "🎉" }),
      ]);
      for (const who of ["owner", "admin", "member", "quiet"] as const) {
        expect(await visible(who)).toEqual(all);
      }
      expect(await visible("leaver")).toEqual([]);
      expect(await visible("outsider")).toEqual([]);
      expect(await visible("site")).toEqual([]);
      expect(await outcome(visible("anon"))).toBe(DENIED);
    });

    it("update: not granted", async () => {
      expect(
        await outcome(
          as("member", (tx) =>
            tx
              .update(messageReactions)
              .set({ emoji: "🔥" })
              .where(eq(messageReactions.userId, ids.member)),
          ),
        ),
      ).toBe(DENIED);
    });

    it("delete: your own only", async () => {
      const remove = (who: Who, userId: string) =>
        as(
          who,
          async (tx) =>
            (
              await tx
                .delete(messageReactions)
                .where(
                  and(
                    eq(messageReactions.messageId, msg.ownerHello),
                    eq(messageReactions.userId, userId),
                  ),
                )
                .returning({ userId: messageReactions.userId })
            ).length,
        );
      expect(await remove("member", ids.admin)).toBe(0);
      expect(await remove("owner", ids.admin)).toBe(0);
      expect(await remove("outsider", ids.admin)).toBe(0);
      expect(await remove("site", ids.admin)).toBe(0);
      expect(await outcome(remove("anon", ids.admin))).toBe(DENIED);
      expect(await remove("member", ids.member)).toBe(1);
      const left = await db().select({ userId: messageReactions.userId }).from(messageReactions);
      expect(left).toEqual([{ userId: ids.admin }]);
    });
  });

  describe("message_attachments", () => {
    const files = { photo: "", other: "", unsent: "" };
    const upload = (
      who: Who,
      tag: string,
      values: { chatId: string; uploaderId: string | null; messageId?: string },
    ) =>
      as(who, async (tx) => {
        const [row] = await tx
          .insert(messageAttachments)
          .values({
            ...values,
            fileName: `${tag}.png`,
            // Where Parley puts an upload (the database refuses any other place).
            storagePath: `chats/${values.chatId}/${values.uploaderId ?? crypto.randomUUID()}/20260101_000000_${randomBytes(8).toString("hex")}.png`,
            fileSize: 10,
            mimeType: "image/png",
            createdAt: new Date(0),
          })
          .returning({ id: messageAttachments.id });
        return row!.id;
      });
    const visible = (who: Who) =>
      as(who, async (tx) =>
        sorted(
          (await tx.select({ id: messageAttachments.id }).from(messageAttachments)).map(
            (r) => r.id,
          ),
        ),
      );
    const stored = async (id: string) => {
      const [found] = await db()
        .select()
        .from(messageAttachments)
        .where(eq(messageAttachments.id, id));
      return found;
    };
    const attach = (who: Who, id: string, messageId: string) =>
      as(
        who,
        async (tx) =>
          (
            await tx
              .update(messageAttachments)
              .set({ messageId })
              .where(eq(messageAttachments.id, id))
              .returning({ id: messageAttachments.id })
          ).length,
      );

    it("insert: members upload as themselves, and an upload starts unsent", async () => {
      files.photo = await upload("member", "photo", {
        chatId: chat.group,
        uploaderId: ids.member,
        messageId: msg.ownerHello,
      });
      files.other = await upload("member", "other", { chatId: chat.group, uploaderId: ids.member });
      files.unsent = await upload("member", "unsent", {
        chatId: chat.group,
        uploaderId: ids.member,
      });
      const photo = await stored(files.photo);
      expect(photo?.messageId).toBeNull();
      expect(recent(photo?.createdAt)).toBe(true);

      const refused = [
        () => upload("member", "as-owner", { chatId: chat.group, uploaderId: ids.owner }),
        () => upload("outsider", "outsider", { chatId: chat.group, uploaderId: ids.outsider }),
        () => upload("site", "site", { chatId: chat.group, uploaderId: ids.site }),
        () => upload("leaver", "leaver", { chatId: chat.group, uploaderId: ids.leaver }),
        () => upload("admin", "admin-direct", { chatId: chat.direct, uploaderId: ids.admin }),
        () => upload("anon", "anon", { chatId: chat.group, uploaderId: null }),
      ];
      for (const attempt of refused) expect(await outcome(attempt())).toBe(DENIED);
      expect(await db().select().from(messageAttachments)).toHaveLength(3);
    });

    it("select: unsent uploads are the uploader's alone", async () => {
      expect(await visible("member")).toEqual(sorted([files.photo, files.other, files.unsent]));
      expect(await visible("owner")).toEqual([]);
      expect(await visible("admin")).toEqual([]);
      expect(await visible("outsider")).toEqual([]);
      expect(await visible("site")).toEqual([]);
      expect(await outcome(visible("anon"))).toBe(DENIED);
    });

    it("update: the uploader attaches to their own live message in the same chat", async () => {
      expect(await outcome(attach("member", files.other, msg.ownerHello))).toBe(INVALID);
      expect(await outcome(attach("member", files.other, msg.directMember))).toBe(INVALID);
      expect(await outcome(attach("member", files.other, msg.deleted))).toBe(INVALID);
      expect(await attach("owner", files.photo, msg.ownerHello)).toBe(0);
      expect(await attach("outsider", files.photo, msg.memberHello)).toBe(0);
      expect(await outcome(attach("anon", files.photo, msg.memberHello))).toBe(DENIED);
      expect(
        await outcome(
          as("member", (tx) =>
            tx
              .update(messageAttachments)
              .set({ fileName: "renamed.png" })
              .where(eq(messageAttachments.id, files.photo)),
          ),
        ),
      ).toBe(DENIED);
      expect((await stored(files.other))?.messageId).toBeNull();

      expect(await attach("member", files.photo, msg.memberHello)).toBe(1);
      expect((await stored(files.photo))?.messageId).toBe(msg.memberHello);
      // Sent once: no longer the uploader's to move.
      expect(await attach("member", files.photo, msg.memberHello)).toBe(0);
    });

    it("select: a sent attachment is visible to the chat's members", async () => {
      expect(await visible("owner")).toEqual([files.photo]);
      expect(await visible("admin")).toEqual([files.photo]);
      expect(await visible("quiet")).toEqual([files.photo]);
      expect(await visible("member")).toEqual(sorted([files.photo, files.other, files.unsent]));
      expect(await visible("leaver")).toEqual([]);
      expect(await visible("outsider")).toEqual([]);
      expect(await visible("site")).toEqual([]);
    });

    it("delete: the uploader removes unsent uploads only", async () => {
      const remove = (who: Who, id: string) =>
        as(
          who,
          async (tx) =>
            (
              await tx
                .delete(messageAttachments)
                .where(eq(messageAttachments.id, id))
                .returning({ id: messageAttachments.id })
            ).length,
        );
      expect(await remove("owner", files.unsent)).toBe(0);
      expect(await remove("site", files.unsent)).toBe(0);
      expect(await outcome(remove("anon", files.unsent))).toBe(DENIED);
      expect(await remove("member", files.photo)).toBe(0);
      expect(await remove("member", files.unsent)).toBe(1);
      expect(await stored(files.unsent)).toBeUndefined();
      expect(await stored(files.photo)).toBeDefined();
    });
  });

  describe("user", () => {
    const visible = (who: Who) =>
      as(who, async (tx) => sorted((await tx.select({ id: user.id }).from(user)).map((r) => r.id)));
    const everyone = () => Object.values(ids);
    const except = (...people: Person[]) =>
      sorted(everyone().filter((id) => !people.some((p) => ids[p] === id)));

    it("select: the directory hides banned users, except from those who share a chat with them", async () => {
      expect(await visible("outsider")).toEqual(except("banned"));
      expect(await visible("owner")).toEqual(except("banned"));

      await db().update(user).set({ banned: true }).where(eq(user.id, ids.quiet));

      // Not in a chat with them: the directory only.
      expect(await visible("outsider")).toEqual(except("banned", "quiet"));
      expect(await visible("leaver")).toEqual(except("banned", "quiet"));
      // Chat partners still see them (names on old messages).
      expect(await visible("owner")).toEqual(except("banned"));
      expect(await visible("admin")).toEqual(except("banned"));
      expect(await visible("member")).toEqual(except("banned"));
      // Themselves, and site admins see everyone.
      expect(await visible("quiet")).toEqual(except("banned"));
      expect(await visible("site")).toEqual(sorted(everyone()));
      expect(await outcome(visible("anon"))).toBe(DENIED);
    });
  });
});
