import { and, eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { availableDrivers, useTestDatabase } from "@/test/database";
import { outcome } from "@/test/errors";
import { shareWorkspace } from "@/test/workspace";
import { withRls } from "./rls";
import { queryRows } from "./rows";
import { chatMembers, chats, messages, messageThreads, threadMembers, user } from "./schema";
import type { Tx } from "./types";

/**
 * The RLS matrix for threads (drizzle/0031_threads.sql), as the request roles through
 * `withRls`, on PGlite and (with TEST_DATABASE_URL) on server Postgres: who sees a thread's
 * totals and whose place in a thread, which replies the database takes, and which values a
 * writer cannot choose.
 *
 * Cast: `owner` made the group with `member` and `leaver` (who leaves it); `owner` and
 * `member` also share a direct chat; `outsider` is in no chat.
 */
type Person = "owner" | "member" | "leaver" | "outsider";
type Who = Person | "anon";

const DENIED = "42501";
const NOT_VISIBLE = "P0002";
const INVALID = "22023";

describe.each(availableDrivers())("threads RLS on %s", (driver) => {
  const database = useTestDatabase(driver);
  const ids = {} as Record<Person, string>;
  const chat = { group: "", direct: "" };
  const msg = { root: "", reply: "", direct: "", system: "" };
  const db = () => database.handle.db;
  let team = "";
  const as = <T>(who: Who, fn: (tx: Tx) => Promise<T>) =>
    withRls(who === "anon" ? null : { userId: ids[who], organizationId: team }, fn);

  const send = (who: Who, chatId: string, content: string, threadRootId?: string) =>
    as(who, async (tx) => {
      const [row] = await tx
        .insert(messages)
        .values({
          chatId,
          senderId: who === "anon" ? null : ids[who],
          seq: 0,
          content,
          threadRootId,
        })
        .returning({ id: messages.id });
      return row!.id;
    });
  const follow = (who: Who, userId: string, rootId: string, lastReadSeq = 0) =>
    as(who, (tx) =>
      tx.execute(
        sql`insert into public.thread_members ("rootId", "userId", following, "lastReadSeq")
            values (${rootId}::uuid, ${userId}::uuid, true, ${lastReadSeq})`,
      ),
    );
  const threadsSeenBy = (who: Who) =>
    as(who, async (tx) =>
      (await tx.select({ id: messageThreads.rootId }).from(messageThreads)).map((r) => r.id).sort(),
    );
  const placesSeenBy = (who: Who) =>
    as(who, async (tx) =>
      (await tx.select().from(threadMembers)).map((r) => `${r.userId}:${r.rootId}`).sort(),
    );

  beforeAll(async () => {
    const people = await db()
      .insert(user)
      .values(
        (["owner", "member", "leaver", "outsider"] as const).map((p) => ({
          name: p,
          email: `${p}@threads.example.test`,
        })),
      )
      .returning({ id: user.id, name: user.name });
    for (const p of people) ids[p.name as Person] = p.id;
    // Everyone here shares one workspace, the one each request runs in.
    team = await shareWorkspace(Object.values(ids));
    chat.group = await as("owner", async (tx) => {
      const list = `{${[ids.member, ids.leaver].join(",")}}`;
      const [row] = await queryRows<{ id: string }>(
        tx,
        sql`select public.create_group_chat('Threads', '', ${list}::uuid[]) as id`,
      );
      return row!.id;
    });
    chat.direct = await as("owner", async (tx) => {
      const [row] = await queryRows<{ id: string }>(
        tx,
        sql`select public.create_direct_chat(${ids.member}::uuid) as id`,
      );
      return row!.id;
    });
    msg.root = await send("owner", chat.group, "Where do we meet?");
    msg.reply = await send("member", chat.group, "At the mill", msg.root);
    msg.direct = await send("owner", chat.direct, "between us");
    const [system] = await db()
      .select({ id: messages.id })
      .from(messages)
      .where(and(eq(messages.chatId, chat.group), eq(messages.type, "system")))
      .limit(1);
    msg.system = system!.id;
  });

  it("a reply takes the chat's next seq but no ordinal, and leaves the chat's activity", async () => {
    const rows = await db()
      .select({ id: messages.id, seq: messages.seq, ordinal: messages.ordinal })
      .from(messages)
      .where(eq(messages.chatId, chat.group));
    const root = rows.find((r) => r.id === msg.root)!;
    const reply = rows.find((r) => r.id === msg.reply)!;
    expect(reply.seq).toBe(root.seq + 1);
    expect(reply.ordinal).toBe(root.ordinal);
    const [group] = await db().select().from(chats).where(eq(chats.id, chat.group));
    expect(group).toMatchObject({ lastSeq: reply.seq, lastOrdinal: root.ordinal });
    // The replier's read pointer in the chat stays where the timeline left it.
    const [member] = await db()
      .select({ lastReadSeq: chatMembers.lastReadSeq })
      .from(chatMembers)
      .where(and(eq(chatMembers.chatId, chat.group), eq(chatMembers.userId, ids.member)));
    expect(member!.lastReadSeq).toBeLessThan(reply.seq);
  });

  it("replies: only in a thread of the same chat, off a live timeline message", async () => {
    expect(await outcome(send("member", chat.group, "x", msg.reply))).toBe(INVALID);
    expect(await outcome(send("member", chat.group, "x", msg.system))).toBe(INVALID);
    expect(await outcome(send("owner", chat.direct, "x", msg.root))).toBe(INVALID);
    // Into a chat one is not in: its messages are out of sight, so the thread's root is no
    // message of that chat (the same answer as for an id that does not exist).
    expect(await outcome(send("outsider", chat.group, "x", msg.root))).toBe(INVALID);
    expect(await outcome(send("anon", chat.group, "x", msg.root))).toBe(DENIED);
    // A reply cannot be moved into another thread afterwards.
    expect(
      await outcome(
        as("member", (tx) =>
          tx.update(messages).set({ threadRootId: msg.root }).where(eq(messages.id, msg.direct)),
        ),
      ),
    ).toBe(DENIED);
  });

  it("the reply's trigger keeps the thread's totals and its followers", async () => {
    const [thread] = await db()
      .select()
      .from(messageThreads)
      .where(eq(messageThreads.rootId, msg.root));
    expect(thread).toMatchObject({
      chatId: chat.group,
      replyCount: 1,
      participantIds: [ids.member],
    });
    const places = await db()
      .select()
      .from(threadMembers)
      .where(eq(threadMembers.rootId, msg.root));
    expect(places.map((p) => [p.userId, p.following]).sort()).toEqual(
      [
        [ids.owner, true],
        [ids.member, true],
      ].sort(),
    );
  });

  it("members see their chats' threads; each sees only their own place in them", async () => {
    expect(await threadsSeenBy("owner")).toEqual([msg.root]);
    expect(await threadsSeenBy("outsider")).toEqual([]);
    expect(await outcome(threadsSeenBy("anon"))).toBe(DENIED);
    expect(await placesSeenBy("owner")).toEqual([`${ids.owner}:${msg.root}`]);
    expect(await placesSeenBy("member")).toEqual([`${ids.member}:${msg.root}`]);
    expect(await placesSeenBy("leaver")).toEqual([]);
    expect(await placesSeenBy("outsider")).toEqual([]);
    // Nobody writes a thread's totals.
    expect(
      await outcome(
        as("owner", (tx) =>
          tx
            .update(messageThreads)
            .set({ replyCount: 99 })
            .where(eq(messageThreads.rootId, msg.root)),
        ),
      ),
    ).toBe(DENIED);
    expect(
      await outcome(
        as("owner", (tx) =>
          tx.execute(sql`insert into public.message_threads ("rootId", "chatId", "lastReplySeq", "lastReplyAt")
            values (${msg.direct}::uuid, ${chat.direct}::uuid, 1, now())`),
        ),
      ),
    ).toBe(DENIED);
  });

  it("following: one's own place, in a thread of one's chats; the chat is the database's", async () => {
    expect(await outcome(follow("leaver", ids.leaver, msg.root))).toBe("ok");
    expect(await outcome(follow("leaver", ids.outsider, msg.root))).toBe(DENIED);
    expect(await outcome(follow("outsider", ids.outsider, msg.root))).toBe(NOT_VISIBLE);
    expect(await outcome(follow("anon", ids.owner, msg.root))).toBe(DENIED);
    expect(await outcome(follow("member", ids.member, msg.reply))).toBe(INVALID);
    expect(await outcome(follow("member", ids.member, msg.system))).toBe(INVALID);
    // A read pointer past the thread's last reply is refused.
    expect(await outcome(follow("owner", ids.owner, msg.direct, 5))).toBe(INVALID);
    expect(
      await outcome(
        as("member", (tx) =>
          tx.execute(sql`insert into public.thread_members ("rootId", "userId", "chatId")
            values (${msg.direct}::uuid, ${ids.member}::uuid, ${chat.group}::uuid)`),
        ),
      ),
    ).toBe(DENIED);
    const [place] = await db()
      .select()
      .from(threadMembers)
      .where(and(eq(threadMembers.rootId, msg.root), eq(threadMembers.userId, ids.leaver)));
    expect(place?.chatId).toBe(chat.group);
  });

  it("read pointers: one's own, forward only, never past the last reply", async () => {
    const [reply] = await db()
      .select({ seq: messages.seq })
      .from(messages)
      .where(eq(messages.id, msg.reply));
    const setRead = (who: Person, userId: string, seq: number) =>
      as(who, (tx) =>
        tx
          .update(threadMembers)
          .set({ lastReadSeq: seq })
          .where(and(eq(threadMembers.rootId, msg.root), eq(threadMembers.userId, userId)))
          .returning({ seq: threadMembers.lastReadSeq }),
      );
    expect(await setRead("owner", ids.owner, reply!.seq)).toEqual([{ seq: reply!.seq }]);
    expect(await setRead("owner", ids.owner, 0)).toEqual([{ seq: reply!.seq }]);
    expect(await outcome(setRead("owner", ids.owner, reply!.seq + 1))).toBe(INVALID);
    // Someone else's place is out of sight: nothing to update.
    expect(await setRead("owner", ids.member, 0)).toEqual([]);
    expect(
      await outcome(
        as("owner", (tx) =>
          tx
            .update(threadMembers)
            .set({ userId: ids.member })
            .where(eq(threadMembers.userId, ids.owner)),
        ),
      ),
    ).toBe(DENIED);
  });

  it("a member who leaves sees nothing of the chat's threads any more", async () => {
    await as("leaver", (tx) =>
      tx
        .delete(chatMembers)
        .where(and(eq(chatMembers.chatId, chat.group), eq(chatMembers.userId, ids.leaver))),
    );
    expect(await threadsSeenBy("leaver")).toEqual([]);
    expect(await placesSeenBy("leaver")).toEqual([]);
    expect(await outcome(follow("leaver", ids.leaver, msg.root))).toBe(NOT_VISIBLE);
    const followers = await as("owner", (tx) =>
      queryRows<{ id: string }>(tx, sql`select public.thread_followers(${msg.root}::uuid) as id`),
    );
    expect(followers.map((f) => f.id).sort()).toEqual([ids.owner, ids.member].sort());
    const asked = await as("outsider", (tx) =>
      queryRows<{ id: string }>(tx, sql`select public.thread_followers(${msg.root}::uuid) as id`),
    );
    expect(asked).toEqual([]);
  });
});
