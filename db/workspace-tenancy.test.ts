import { eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { availableDrivers, useTestDatabase } from "@/test/database";
import { outcome } from "@/test/errors";
import { joinWorkspace, shareWorkspace } from "@/test/workspace";
import { withRls, type RlsActor } from "./rls";
import { queryRows } from "./rows";
import { apiKeys, chats, member, messages, user } from "./schema";
import type { Tx } from "./types";

/**
 * Tenant RLS (drizzle/0036_chat_workspaces.sql), on PGlite and (with TEST_DATABASE_URL) on
 * server Postgres: a request sees and writes the chats of the workspace it runs in, and only
 * while its user is a member of it. Every table with a `chatId` column is read as each actor,
 * so a table added later is covered without being named here.
 *
 * Workspaces: A and B. Cast: `ann` is in both; `bob` only in A; `cat` only in B; `dan` was in
 * A (removed once the chats exist); `gus` is a guest of A, in one of its chats; `ada`, a site
 * admin, is an admin of A and in no chat.
 */
type Person = "ann" | "bob" | "cat" | "dan" | "gus" | "ada";

const DENIED = "42501";
const NOT_FOUND = "P0002";
const INVALID = "22023";

describe.each(availableDrivers())("workspace tenancy on %s", (driver) => {
  const database = useTestDatabase(driver);
  const ids = {} as Record<Person, string>;
  const ws = { a: "", b: "" };
  const chat = {
    aGroup: "",
    aDirect: "",
    aLobby: "",
    aGuests: "",
    bGroup: "",
    bDirect: "",
    bLobby: "",
  };
  const calls = { a: "", b: "" };
  let chatTables: string[] = [];
  const db = () => database.handle.db;
  const actor = (who: Person, workspace: "a" | "b"): RlsActor => ({
    userId: ids[who],
    organizationId: ws[workspace],
  });
  const one = async <T>(tx: Tx, query: ReturnType<typeof sql>) =>
    (await queryRows<T>(tx, query))[0]!;
  const call = <T>(who: RlsActor, query: ReturnType<typeof sql>) =>
    withRls(who, (tx) => one<T>(tx, query));
  const send = (who: RlsActor, chatId: string, content: string) =>
    withRls(who, async (tx) => {
      const [row] = await tx
        .insert(messages)
        .values({ chatId, senderId: (who as { userId: string }).userId, seq: 0, content })
        .returning({ id: messages.id });
      return row!.id;
    });
  const uuids = (list: string[]) => sql`${"{" + list.join(",") + "}"}::uuid[]`;
  const group = (who: RlsActor, name: string, members: string[]) =>
    call<{ id: string }>(
      who,
      sql`select public.create_group_chat(${name}, ${""}, ${uuids(members)}) as id`,
    ).then((r) => r.id);

  /** The chats an actor sees, and of every chat table, the chats its visible rows belong to. */
  const seenBy = (who: RlsActor) =>
    withRls(who, async (tx) => {
      const seen = new Set<string>();
      for (const row of await tx.select({ id: chats.id }).from(chats)) seen.add(row.id);
      for (const table of chatTables) {
        const rows = await queryRows<{ id: string }>(
          tx,
          sql`select distinct t."chatId"::text as id from public.${sql.identifier(table)} t`,
        );
        for (const row of rows) seen.add(row.id);
      }
      return seen;
    });
  const inWorkspace = (workspace: "a" | "b") =>
    new Set(
      workspace === "a"
        ? [chat.aGroup, chat.aDirect, chat.aLobby, chat.aGuests]
        : [chat.bGroup, chat.bDirect, chat.bLobby],
    );

  beforeAll(async () => {
    const people = await db()
      .insert(user)
      .values(
        (["ann", "bob", "cat", "dan", "gus", "ada"] as const).map((p) => ({
          name: p,
          email: `${p}@tenancy.example.test`,
          role: p === "ada" ? "admin" : "user",
        })),
      )
      .returning({ id: user.id, name: user.name });
    for (const p of people) ids[p.name as Person] = p.id;
    ws.a = await shareWorkspace([ids.ann, ids.bob, ids.dan], "A");
    ws.b = await shareWorkspace([ids.ann, ids.cat], "B");
    await db()
      .insert(member)
      .values([
        { organizationId: ws.a, userId: ids.gus, role: "guest" },
        { organizationId: ws.a, userId: ids.ada, role: "admin" },
      ]);

    chat.aGroup = await group(actor("ann", "a"), "A team", [ids.bob, ids.dan]);
    chat.aGuests = await group(actor("ann", "a"), "Guests welcome", [ids.gus]);
    chat.aLobby = await group(actor("ann", "a"), "A lobby", []);
    chat.aDirect = (
      await call<{ id: string }>(
        actor("ann", "a"),
        sql`select public.create_direct_chat(${ids.bob}::uuid) as id`,
      )
    ).id;
    chat.bGroup = await group(actor("ann", "b"), "B team", [ids.cat]);
    chat.bLobby = await group(actor("ann", "b"), "B lobby", []);
    chat.bDirect = (
      await call<{ id: string }>(
        actor("ann", "b"),
        sql`select public.create_direct_chat(${ids.cat}::uuid) as id`,
      )
    ).id;
    await db()
      .update(chats)
      .set({ visibility: "public" })
      .where(sql`${chats.id} in (${chat.aLobby}::uuid, ${chat.bLobby}::uuid)`);
    for (const [who, workspace, chatId] of [
      ["ann", "a", chat.aGroup],
      ["bob", "a", chat.aDirect],
      ["ann", "b", chat.bGroup],
      ["cat", "b", chat.bDirect],
    ] as const) {
      const id = await send(actor(who, workspace), chatId, `hello from ${who}`);
      await withRls(actor(who, workspace), (tx) =>
        tx.execute(
          sql`insert into public.message_reactions ("messageId", "chatId", "userId", emoji)
              values (${id}::uuid, ${chatId}::uuid, ${ids[who]}::uuid, '👍')`,
        ),
      );
    }
    // A live call in a chat of each workspace (drizzle/0042_calls.sql).
    for (const [who, workspace, chatId] of [
      ["ann", "a", chat.aGroup],
      ["ann", "b", chat.bDirect],
    ] as const) {
      calls[workspace] = (
        await call<{ id: string }>(
          actor(who, workspace),
          sql`select public.start_call(${chatId}::uuid, 'audio', 6) as id`,
        )
      ).id;
    }
    await db()
      .delete(member)
      .where(sql`${member.organizationId} = ${ws.a}::uuid and ${member.userId} = ${ids.dan}::uuid`);

    chatTables = (
      await queryRows<{ table: string }>(
        db(),
        sql`select c.table_name as table from information_schema.columns c
            join information_schema.tables t
              on t.table_schema = c.table_schema and t.table_name = c.table_name
            where c.table_schema = 'public' and c.column_name = 'chatId'
              and t.table_type = 'BASE TABLE'
              and has_table_privilege('authenticated', quote_ident(c.table_schema) || '.' || quote_ident(c.table_name), 'select')
            order by 1`,
      )
    ).map((r) => r.table);
  });

  it("reads every chat table of the chats' workspace", () => {
    expect(chatTables).toEqual(
      expect.arrayContaining([
        "chat_members",
        "messages",
        "message_reactions",
        "message_pins",
        "call_sessions",
        "call_participants",
      ]),
    );
  });

  it("shows a member the chats of the workspace they run in, and nothing of the other", async () => {
    const annInA = await seenBy(actor("ann", "a"));
    expect(annInA).toEqual(new Set([chat.aGroup, chat.aDirect, chat.aGuests, chat.aLobby]));
    const annInB = await seenBy(actor("ann", "b"));
    expect(annInB).toEqual(inWorkspace("b"));
  });

  it("shows nothing to a member of A with B selected, a member of B with A selected, or a former member", async () => {
    expect(await seenBy(actor("bob", "b"))).toEqual(new Set());
    expect(await seenBy(actor("cat", "a"))).toEqual(new Set());
    expect(await seenBy(actor("dan", "a"))).toEqual(new Set());
    // And without a workspace, nobody sees any chat.
    expect(await seenBy(ids.ann)).toEqual(new Set());
  });

  it("shows a guest only the chats they are in, and no room to find or join", async () => {
    expect(await seenBy(actor("gus", "a"))).toEqual(new Set([chat.aGuests]));
    const rooms = await withRls(actor("gus", "a"), (tx) =>
      queryRows(tx, sql`select * from public.public_room_directory(null, null, null, 50)`),
    );
    expect(rooms).toEqual([]);
    expect(
      await outcome(
        call(actor("gus", "a"), sql`select public.join_public_room(${chat.aLobby}::uuid)`),
      ),
    ).toBe(NOT_FOUND);
  });

  it("shows a site admin who is a workspace admin no chat they are not in, and nothing of B", async () => {
    expect(await seenBy(actor("ada", "a"))).toEqual(new Set());
    expect(await seenBy(actor("ada", "b"))).toEqual(new Set());
  });

  it("lists and joins the public rooms of the request's workspace only", async () => {
    const names = (who: RlsActor) =>
      withRls(who, async (tx) =>
        (
          await queryRows<{ name: string }>(
            tx,
            sql`select name from public.public_room_directory(null, null, null, 50)`,
          )
        ).map((r) => r.name),
      );
    expect(await names(actor("bob", "a"))).toEqual(["A lobby"]);
    expect(await names(actor("cat", "b"))).toEqual(["B lobby"]);
    expect(await names(actor("bob", "b"))).toEqual([]);
    expect(
      await outcome(
        call(actor("bob", "a"), sql`select public.join_public_room(${chat.bLobby}::uuid)`),
      ),
    ).toBe(NOT_FOUND);
    expect(
      await outcome(
        call(actor("cat", "a"), sql`select public.join_public_room(${chat.aLobby}::uuid)`),
      ),
    ).toBe(NOT_FOUND);
  });

  it("refuses writes into another workspace's chats", async () => {
    expect(await outcome(send(actor("ann", "a"), chat.bGroup, "wrong workspace"))).toBe(DENIED);
    expect(await outcome(send(actor("bob", "b"), chat.aGroup, "not mine"))).toBe(DENIED);
    expect(await outcome(send(actor("dan", "a"), chat.aGroup, "gone"))).toBe(DENIED);
    const stored = await db()
      .select({ content: messages.content })
      .from(messages)
      .where(sql`${messages.content} in ('wrong workspace', 'not mine', 'gone')`);
    expect(stored).toEqual([]);
  });

  it("lets nobody start, answer, decline, leave or signal a call of another workspace's chat", async () => {
    const attempts: [RlsActor, ReturnType<typeof sql>][] = [
      [actor("ann", "a"), sql`select public.start_call(${chat.bGroup}::uuid, 'video', 6)`],
      [actor("bob", "b"), sql`select public.start_call(${chat.aDirect}::uuid, 'audio', 6)`],
      [actor("cat", "a"), sql`select public.join_call(${calls.b}::uuid)`],
      [actor("ann", "a"), sql`select public.join_call(${calls.b}::uuid)`],
      [actor("dan", "a"), sql`select public.join_call(${calls.a}::uuid)`],
      [actor("bob", "b"), sql`select public.decline_call(${calls.a}::uuid)`],
      [actor("ann", "b"), sql`select public.leave_call(${calls.a}::uuid)`],
      [
        actor("ada", "a"),
        sql`select public.call_heartbeat(${calls.a}::uuid, true, false, false, 'connected')`,
      ],
    ];
    for (const [who, attempt] of attempts) {
      expect(await outcome(call(who, attempt))).toBe(NOT_FOUND);
    }
    // Nor join its signalling: only those in the call, in its workspace.
    const canJoin = (who: RlsActor, callId: string) =>
      call<{ ok: boolean }>(who, sql`select public.realtime_can_join(${`call:${callId}`}) as ok`);
    expect(await canJoin(actor("ann", "a"), calls.a)).toEqual({ ok: true });
    expect(await canJoin(actor("ann", "b"), calls.a)).toEqual({ ok: false });
    expect(await canJoin(actor("bob", "a"), calls.a)).toEqual({ ok: false });
    expect(await canJoin(actor("cat", "b"), calls.b)).toEqual({ ok: false });
    const states = await db().execute(
      sql`select status from public.call_sessions where id in (${calls.a}::uuid, ${calls.b}::uuid)`,
    );
    expect(JSON.stringify(states)).not.toContain("active");
  });

  it("starts chats only with people of the request's workspace, and only with a workspace", async () => {
    expect(
      await outcome(
        call(actor("bob", "a"), sql`select public.create_direct_chat(${ids.cat}::uuid)`),
      ),
    ).toBe(NOT_FOUND);
    expect(await outcome(group(actor("bob", "a"), "Cross", [ids.cat]))).toBe(INVALID);
    expect(await outcome(group(actor("bob", "b"), "Not mine", []))).toBe(DENIED);
    expect(await outcome(group({ userId: ids.bob, organizationId: null }, "None", []))).toBe(
      DENIED,
    );
    // One direct chat per pair in each workspace: Ann and Bob's in A is theirs there alone.
    await joinWorkspace(ws.b, [ids.bob]);
    const inB = await call<{ id: string }>(
      actor("ann", "b"),
      sql`select public.create_direct_chat(${ids.bob}::uuid) as id`,
    );
    expect(inB.id).not.toBe(chat.aDirect);
    await db()
      .delete(member)
      .where(sql`${member.organizationId} = ${ws.b}::uuid and ${member.userId} = ${ids.bob}::uuid`);
  });

  it("keeps people of other workspaces out of a chat, however they are added", async () => {
    expect(
      await outcome(
        withRls(actor("ann", "a"), (tx) =>
          tx.execute(
            sql`insert into public.chat_members ("chatId", "userId", role)
                values (${chat.aGroup}::uuid, ${ids.cat}::uuid, 'member')`,
          ),
        ),
      ),
    ).toBe(INVALID);
    expect(
      await outcome(
        db().execute(
          sql`insert into public.chat_members ("chatId", "userId", role)
              values (${chat.aGroup}::uuid, ${ids.cat}::uuid, 'member')`,
        ),
      ),
    ).toBe(INVALID);
  });

  it("keeps a chat, and each membership of it, in its workspace for good", async () => {
    expect(
      await outcome(
        db().update(chats).set({ organizationId: ws.b }).where(eq(chats.id, chat.aGroup)),
      ),
    ).toBe(DENIED);
    const memberships = await queryRows<{ organizationId: string }>(
      db(),
      sql`select distinct "organizationId" from public.chat_members where "chatId" = ${chat.aGroup}::uuid`,
    );
    expect(memberships).toEqual([{ organizationId: ws.a }]);
    expect(
      await outcome(
        db().execute(
          sql`update public.chat_members set "organizationId" = ${ws.b}::uuid
              where "chatId" = ${chat.aGroup}::uuid and "userId" = ${ids.ann}::uuid`,
        ),
      ),
    ).toBe(DENIED);
  });

  it("makes an API key in the request's workspace, whatever the insert names", async () => {
    const [key] = await withRls(actor("ann", "a"), (tx) =>
      tx
        .insert(apiKeys)
        .values({
          userId: ids.ann,
          organizationId: ws.b,
          name: "named B",
          key: "hash-tenancy",
          prefix: "tenancy1",
          scopes: ["profile:read"],
        })
        .returning({ organizationId: apiKeys.organizationId }),
    );
    expect(key).toEqual({ organizationId: ws.a });
    expect(
      await outcome(
        db().update(apiKeys).set({ organizationId: ws.b }).where(eq(apiKeys.prefix, "tenancy1")),
      ),
    ).toBe(DENIED);
  });

  it("runs a key in no workspace once its owner has left the key's", async () => {
    await db()
      .insert(apiKeys)
      .values({
        userId: ids.dan,
        organizationId: ws.a,
        name: "left behind",
        key: "hash-left",
        prefix: "leftkey1",
        scopes: ["profile:read"],
      });
    const [found] = await withRls(null, (tx) =>
      queryRows<{ organizationId: string | null }>(
        tx,
        sql`select "organizationId" from public.find_api_key('leftkey1', 'hash-left')`,
      ),
    );
    expect(found).toEqual({ organizationId: null });
  });

  it("lets a token of one workspace join no topic of another's chats", async () => {
    const canJoin = (who: RlsActor, chatId: string) =>
      call<{ ok: boolean }>(
        who,
        sql`select public.realtime_can_join(${`chat:${chatId}`}) as ok`,
      ).then((r) => r.ok);
    expect(await canJoin(actor("ann", "a"), chat.aGroup)).toBe(true);
    expect(await canJoin(actor("ann", "b"), chat.aGroup)).toBe(false);
    expect(await canJoin(actor("dan", "a"), chat.aGroup)).toBe(false);
  });

  it("shows people only their fellow members and chat partners, former members among them", async () => {
    const people = (who: RlsActor) =>
      withRls(who, async (tx) =>
        (await tx.select({ name: user.name }).from(user)).map((r) => r.name).sort(),
      );
    expect(await people(actor("bob", "a"))).toEqual(["ada", "ann", "bob", "dan", "gus"]);
    expect(await people(actor("cat", "b"))).toEqual(["ann", "cat"]);
  });
});
