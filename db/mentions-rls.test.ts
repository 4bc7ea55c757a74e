import { and, eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { availableDrivers, useTestDatabase } from "@/test/database";
import { outcome } from "@/test/errors";
import { shareWorkspace } from "@/test/workspace";
import { withRls } from "./rls";
import { queryRows } from "./rows";
import { chatMembers, member, messageMentions, messages, organizationRole, user } from "./schema";
import type { Tx } from "./types";

/**
 * Mentions as the database keeps them (drizzle/0044_mentions.sql), on PGlite and (with
 * TEST_DATABASE_URL) on server Postgres: which rows a text makes, who reads them, and what a
 * writer may not mention.
 *
 * Cast: `owner` made the group with `member`, `guest` (whose workspace role may not notify
 * everyone) and `leaver`, who leaves; `outsider` shares the workspace but not the chat.
 */
type Person = "owner" | "member" | "guest" | "leaver" | "outsider";

const DENIED = "42501";
const INVALID = "22023";

describe.each(availableDrivers())("mentions on %s", (driver) => {
  const database = useTestDatabase(driver);
  const ids = {} as Record<Person, string>;
  let team = "";
  let group = "";
  const db = () => database.handle.db;
  const as = <T>(who: Person, fn: (tx: Tx) => Promise<T>) =>
    withRls({ userId: ids[who], organizationId: team }, fn);
  const send = (who: Person, content: string, threadRootId?: string) =>
    as(who, async (tx) => {
      const [row] = await tx
        .insert(messages)
        .values({ chatId: group, senderId: ids[who], seq: 0, content, threadRootId })
        .returning({ id: messages.id });
      return row!.id;
    });
  /** Every mention row of a message, as the owner connection sees them. */
  const rowsOf = async (messageId: string) =>
    (
      await db()
        .select({ userId: messageMentions.userId, kind: messageMentions.kind })
        .from(messageMentions)
        .where(eq(messageMentions.messageId, messageId))
    )
      .map((r) => `${nameOf(r.userId)}:${r.kind}`)
      .sort();
  const nameOf = (id: string) => Object.entries(ids).find(([, v]) => v === id)?.[0];
  const seenBy = (who: Person) =>
    as(who, async (tx) =>
      (
        await tx
          .select({ id: messageMentions.messageId, userId: messageMentions.userId })
          .from(messageMentions)
      ).map((r) => `${r.id}:${nameOf(r.userId)}`),
    );

  beforeAll(async () => {
    const people = await db()
      .insert(user)
      .values(
        (["owner", "member", "guest", "leaver", "outsider"] as const).map((p) => ({
          name: p,
          email: `${p}@mentions.example.test`,
        })),
      )
      .returning({ id: user.id, name: user.name });
    for (const p of people) ids[p.name as Person] = p.id;
    team = await shareWorkspace(Object.values(ids));
    await db()
      .update(member)
      .set({ role: "guest" })
      .where(and(eq(member.organizationId, team), eq(member.userId, ids.guest)));
    group = await as("owner", async (tx) => {
      const list = `{${[ids.member, ids.guest, ids.leaver].join(",")}}`;
      const [row] = await queryRows<{ id: string }>(
        tx,
        sql`select public.create_group_chat('Mentions', '', ${list}::uuid[]) as id`,
      );
      return row!.id;
    });
  });

  it("records the members a text names, never its sender or someone outside the chat", async () => {
    const id = await send(
      "owner",
      `hi <@${ids.member}> and <@${ids.member.toUpperCase()}>, <@${ids.owner}>, <@${ids.outsider}>`,
    );
    expect(await rowsOf(id)).toEqual(["member:user"]);
  });

  it("records everyone for @channel and @here, a named member as named", async () => {
    const channel = await send("member", `<@channel> and <@${ids.guest}>`);
    expect(await rowsOf(channel)).toEqual(["guest:user", "leaver:channel", "owner:channel"]);
    const here = await send("owner", "<@here> standup");
    expect(await rowsOf(here)).toEqual(["guest:here", "leaver:here", "member:here"]);
  });

  it("refuses @channel and @here to a role without chat.mention_all, and more than 50 people", async () => {
    const roles = await db()
      .select({ permission: organizationRole.permission })
      .from(organizationRole)
      .where(and(eq(organizationRole.organizationId, team), eq(organizationRole.role, "guest")));
    expect(roles[0]?.permission).not.toContain("mention_all");
    expect(await outcome(send("guest", "<@channel> hello"))).toBe(DENIED);
    expect(await outcome(send("guest", "<@here> hello"))).toBe(DENIED);
    expect(await outcome(send("guest", `only <@${ids.owner}>`))).toBe("ok");
    const many = Array.from({ length: 51 }, () => `<@${crypto.randomUUID()}>`).join(" ");
    expect(await outcome(send("owner", many))).toBe(INVALID);
  });

  it("rewrites the rows when the text is edited, and drops them when it is deleted", async () => {
    const id = await send("owner", `ask <@${ids.member}>`);
    await as("owner", (tx) =>
      tx
        .update(messages)
        .set({ content: `ask <@${ids.guest}>` })
        .where(eq(messages.id, id)),
    );
    expect(await rowsOf(id)).toEqual(["guest:user"]);
    // An edit is held to the same rules for what it adds.
    const guests = await send("guest", "hello all");
    expect(
      await outcome(
        as("guest", (tx) =>
          tx
            .update(messages)
            .set({ content: "<@channel> hello all" })
            .where(eq(messages.id, guests)),
        ),
      ),
    ).toBe(DENIED);
    await as("owner", (tx) =>
      tx.update(messages).set({ deletedAt: new Date() }).where(eq(messages.id, id)),
    );
    expect(await rowsOf(id)).toEqual([]);
  });

  it("lets each person read only their own rows, in chats they are in now", async () => {
    const id = await send("owner", `<@${ids.member}> <@${ids.leaver}>`);
    expect(await seenBy("member")).toContain(`${id}:member`);
    expect((await seenBy("member")).every((row) => row.endsWith(":member"))).toBe(true);
    expect(await seenBy("leaver")).toContain(`${id}:leaver`);
    await as("leaver", (tx) =>
      tx
        .delete(chatMembers)
        .where(and(eq(chatMembers.chatId, group), eq(chatMembers.userId, ids.leaver))),
    );
    expect(await seenBy("leaver")).toEqual([]);
    expect(await seenBy("outsider")).toEqual([]);
    // No request role writes them.
    expect(
      await outcome(
        as("member", (tx) =>
          tx.insert(messageMentions).values({
            messageId: id,
            userId: ids.member,
            chatId: group,
            seq: 1,
            kind: "user",
            createdAt: new Date(),
          }),
        ),
      ),
    ).toBe(DENIED);
  });

  it("names mentions as the reader may see them", async () => {
    const [row] = await as("member", (tx) =>
      queryRows<{ text: string }>(
        tx,
        sql`select public.mentions_as_names(${`<@${ids.owner}> <@here> <@${crypto.randomUUID()}>`}) as text`,
      ),
    );
    expect(row?.text).toBe("@owner @here @someone");
  });
});
