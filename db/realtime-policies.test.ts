import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { useTestDatabase } from "@/test/database";
import { outcome } from "@/test/errors";
import { callerFor, signUp, testWorkspace, type TestUser } from "@/test/users";
import { queryRows } from "./rows";

/**
 * Supabase mode: hosted Realtime authorizes private channels by probing realtime.messages
 * as the token's role with `request.jwt.claims` and `realtime.topic` set. This recreates
 * the part of Supabase's realtime schema those checks touch, installs Parley's policies the
 * way the migration does on Supabase, and probes them as Realtime would.
 */
const database = useTestDatabase();

let alice: TestUser;
let bob: TestUser;
let chatId: string;
let team: string;

/** The claims of a token minted for `userId` in workspace `org`, as realtime.token mints them. */
const claims = (userId: string, org: string | null) =>
  JSON.stringify({ sub: userId, role: "authenticated", ...(org ? { org } : {}) });

beforeAll(async () => {
  const db = database.handle.db;
  await db.execute(sql`create schema realtime`);
  await db.execute(sql`
    create table realtime.messages (
      id uuid primary key default gen_random_uuid(),
      topic text not null,
      extension text not null,
      event text,
      payload jsonb,
      private boolean default true,
      inserted_at timestamptz not null default now()
    )`);
  await db.execute(sql`alter table realtime.messages enable row level security`);
  await db.execute(sql`
    create function realtime.topic() returns text language sql stable
    as $$ select nullif(current_setting('realtime.topic', true), '')::text $$`);
  await db.execute(sql`grant usage on schema realtime to authenticated`);
  await db.execute(sql`grant select, insert on realtime.messages to authenticated`);
  await db.execute(sql`select public.install_realtime_policies()`);

  alice = await signUp("Alice");
  bob = await signUp("Bob");
  team = await testWorkspace();
  chatId = (await (await callerFor(alice)).chats.createGroup({ name: "Hosted", memberIds: [] })).id;
});

/** The workspace `who` owns besides the shared one (every account starts with its own). */
async function ownWorkspaceOf(who: TestUser): Promise<string> {
  const [own] = await queryRows<{ id: string }>(
    database.handle.db,
    sql`select m."organizationId" as id from public.member m
        where m."userId" = ${who.id}::uuid and m."organizationId" <> ${team}::uuid`,
  );
  return own!.id;
}

/** Realtime's read check: probe rows inserted by the admin role, selected as the user. */
async function canRead(userId: string, topic: string, org: string | null = team): Promise<boolean> {
  let visible = false;
  const done = new Error("probed: rolling back");
  await database.handle.db
    .transaction(async (tx) => {
      const [probe] = await queryRows<{ id: string }>(
        tx,
        sql`insert into realtime.messages (topic, extension) values (${topic}, 'broadcast') returning id`,
      );
      await tx.execute(sql`select
        set_config('role', 'authenticated', true),
        set_config('request.jwt.claims', ${claims(userId, org)}, true),
        set_config('realtime.topic', ${topic}, true)`);
      const rows = await queryRows(
        tx,
        sql`select id from realtime.messages where id = ${probe?.id ?? null}::uuid`,
      );
      visible = rows.length === 1;
      throw done;
    })
    .catch((error: unknown) => {
      if (error !== done) throw error;
    });
  return visible;
}

/** Realtime's write check: an insert as the user, always rolled back. */
async function canWrite(
  userId: string,
  topic: string,
  extension: string,
  org: string | null = team,
): Promise<boolean> {
  const allowed = new Error("allowed: rolling back");
  const result = await outcome(
    database.handle.db
      .transaction(async (tx) => {
        await tx.execute(sql`select
          set_config('role', 'authenticated', true),
          set_config('request.jwt.claims', ${claims(userId, org)}, true),
          set_config('realtime.topic', ${topic}, true)`);
        await tx.execute(
          sql`insert into realtime.messages (topic, extension) values (${topic}, ${extension})`,
        );
        throw allowed;
      })
      .catch((error: unknown) => {
        if (error !== allowed) throw error;
      }),
  );
  if (result !== "ok" && result !== "42501") throw new Error(`unexpected ${result}`);
  return result === "ok";
}

describe("realtime.messages policies (Supabase mode)", () => {
  it("let members read their chat's topic and nobody else's", async () => {
    expect(await canRead(alice.id, `chat:${chatId}`)).toBe(true);
    expect(await canRead(bob.id, `chat:${chatId}`)).toBe(false);
    // A token of another workspace, or of none, reads no chat of this one.
    expect(await canRead(alice.id, `chat:${chatId}`, await ownWorkspaceOf(alice))).toBe(false);
    expect(await canRead(alice.id, `chat:${chatId}`, null)).toBe(false);
  });

  it("let a user read only their own user topic, and presence only of the workspace the token is in", async () => {
    expect(await canRead(alice.id, `user:${alice.id}`)).toBe(true);
    expect(await canRead(bob.id, `user:${alice.id}`)).toBe(false);
    expect(await canRead(bob.id, `presence:${team}`)).toBe(true);
    expect(await canRead(bob.id, `presence:${team}`, null)).toBe(false);
    // Bob's own workspace, with a token minted in the shared one: not that one's presence.
    const own = await ownWorkspaceOf(bob);
    expect(await canRead(bob.id, `presence:${own}`)).toBe(false);
    expect(await canRead(bob.id, `presence:${own}`, own)).toBe(true);
    expect(await canRead(bob.id, "presence:online")).toBe(false);
    expect(await canRead(bob.id, "room:1")).toBe(false);
  });

  it("let members send typing and presence in their chats, nothing on user topics", async () => {
    expect(await canWrite(alice.id, `chat:${chatId}`, "broadcast")).toBe(true);
    expect(await canWrite(alice.id, `chat:${chatId}`, "presence")).toBe(true);
    expect(await canWrite(bob.id, `chat:${chatId}`, "broadcast")).toBe(false);
    expect(await canWrite(alice.id, `user:${alice.id}`, "broadcast")).toBe(false);
    expect(await canWrite(bob.id, `presence:${team}`, "presence")).toBe(true);
    expect(await canWrite(bob.id, `presence:${team}`, "broadcast")).toBe(false);
  });

  it("refuse a banned user every topic, until the ban runs out", async () => {
    const ban = (expires: Date | null) =>
      database.handle.db.execute(sql`
        update public."user"
        set banned = true, "banExpires" = ${expires?.toISOString() ?? null}::timestamptz
        where id = ${alice.id}`);
    try {
      await ban(null);
      expect(await canRead(alice.id, `chat:${chatId}`)).toBe(false);
      expect(await canRead(alice.id, `user:${alice.id}`)).toBe(false);
      expect(await canRead(alice.id, `presence:${team}`)).toBe(false);
      expect(await canWrite(alice.id, `chat:${chatId}`, "broadcast")).toBe(false);
      await ban(new Date(Date.now() + 3_600_000));
      expect(await canRead(alice.id, `chat:${chatId}`)).toBe(false);
      await ban(new Date(Date.now() - 1_000));
      expect(await canRead(alice.id, `chat:${chatId}`)).toBe(true);
      expect(await canWrite(alice.id, `chat:${chatId}`, "broadcast")).toBe(true);
    } finally {
      await database.handle.db.execute(
        sql`update public."user" set banned = false, "banExpires" = null where id = ${alice.id}`,
      );
    }
  });
});
