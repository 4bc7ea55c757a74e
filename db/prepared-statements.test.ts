import { eq, sql } from "drizzle-orm";
import postgres from "postgres";
import { afterAll, beforeAll, expect, it } from "vitest";
import { sendMessageInput } from "@/contracts/messages";
import { createGroupChat } from "@/server/services/chat-write";
import { listMessages, sendMessage } from "@/server/services/messages";
import { createTestDatabase } from "@/test/database";
import { describeWhere, withoutServerPostgres } from "@/test/requirements";
import { openPostgres, setDatabase, type DatabaseHandle } from "./client";
import { MAX_PREPARED_TEXTS, preparingStatements } from "./prepared-statements";
import { shareWorkspace } from "@/test/workspace";
import { withRls } from "./rls";
import { queryRows } from "./rows";
import { user, userMetas } from "./schema";
import type { Tx } from "./types";

/** The statements prepared on the transaction's connection whose text mentions `marker`. */
async function preparedMentioning(tx: Tx, marker: string): Promise<string[]> {
  const rows = await queryRows<{ statement: string }>(
    tx,
    sql`select statement from pg_prepared_statements`,
  );
  return rows.map((r) => r.statement).filter((s) => s.includes(marker));
}

describeWhere(withoutServerPostgres(), "prepared statements on server Postgres", () => {
  let database: DatabaseHandle;
  // One connection, so every transaction below sees the statements the others prepared.
  let single: DatabaseHandle;
  const ids = { ada: "", bob: "" };

  beforeAll(async () => {
    database = await createTestDatabase("postgres");
    single = openPostgres(database.url!, { max: 1 });
    setDatabase(single);
    const people = await single.db
      .insert(user)
      .values([
        { name: "Ada", email: "ada@example.test" },
        { name: "Bob", email: "bob@example.test" },
      ])
      .returning({ id: user.id, name: user.name });
    for (const p of people) ids[p.name.toLowerCase() as keyof typeof ids] = p.id;
    await single.db.insert(userMetas).values(
      people.map((p) => ({
        userId: p.id,
        metaKey: "diary",
        metaValue: `${p.name}'s diary`,
        dataType: "text" as const,
      })),
    );
  });

  afterAll(async () => {
    await single?.close();
    await database?.close();
  });

  const readDiaries = (tx: Tx) =>
    tx.select({ value: userMetas.metaValue }).from(userMetas).where(eq(userMetas.metaKey, "diary"));

  it("runs a Drizzle statement with parameters as a named statement, prepared once", async () => {
    const marker = `"user_metas"."metaKey" = $1`;
    await withRls(ids.ada, readDiaries);
    await withRls(ids.ada, readDiaries);
    const prepared = await withRls(ids.ada, async (tx) => {
      await readDiaries(tx);
      return preparedMentioning(tx, marker);
    });
    expect(prepared).toHaveLength(1);
  });

  it("applies the policies of whoever executes it, past the switch to a generic plan", async () => {
    // Postgres considers a generic plan from the sixth execution on: run well past it,
    // alternating users on the one connection and its one prepared statement.
    for (let round = 0; round < 8; round++) {
      for (const who of ["ada", "bob"] as const) {
        const rows = await withRls(ids[who], readDiaries);
        expect(rows.map((r) => r.value)).toEqual([who === "ada" ? "Ada's diary" : "Bob's diary"]);
      }
    }
    // Signed out, the table is not even granted.
    await expect(withRls(null, readDiaries)).rejects.toMatchObject({ cause: { code: "42501" } });
  });

  it("plans a page of messages once and reuses the plan, whoever reads", async () => {
    // A `limit $n` made Postgres's generic plan look six times dearer than a custom one,
    // so it was never chosen and every page was planned again (message-page.ts).
    const team = await shareWorkspace([ids.ada, ids.bob], "Plans", single.db);
    const as = (userId: string) => ({ userId, organizationId: team });
    const chat = await withRls(as(ids.ada), (tx) =>
      createGroupChat(tx, { userId: ids.ada, name: "Plans", memberIds: [ids.bob] }),
    );
    // Enough history for the planner's estimates to matter, written as the owner with
    // triggers off (so the chat's counters are kept by hand), then the statistics.
    await single.db.transaction(async (tx) => {
      await tx.execute(sql`set local session_replication_role = replica`);
      await tx.execute(sql`
          insert into public.messages ("chatId", "senderId", seq, ordinal, type, content)
          select c.id, ${ids.ada}::uuid, c."lastSeq" + i, c."lastOrdinal" + i, 'text', 'old ' || i
          from public.chats c, generate_series(1, 20000) i where c.id = ${chat.id}::uuid`);
      await tx.execute(sql`
          update public.chats set "lastSeq" = "lastSeq" + 20000, "lastOrdinal" = "lastOrdinal" + 20000
          where id = ${chat.id}::uuid`);
    });
    await single.db.execute(sql`analyze public.messages`);
    for (let i = 0; i < 3; i++) {
      await withRls(as(ids.ada), (tx) =>
        sendMessage(tx, {
          userId: ids.ada,
          ...sendMessageInput.parse({ chatId: chat.id, content: `note ${i}` }),
        }),
      );
    }
    for (let round = 0; round < 5; round++) {
      for (const who of ["ada", "bob"] as const) {
        const page = await withRls(as(ids[who]), (tx) =>
          listMessages(tx, { userId: ids[who], chatId: chat.id, limit: 50 }),
        );
        expect(page.messages.map((m) => m.content).slice(-3)).toEqual([
          "note 0",
          "note 1",
          "note 2",
        ]);
      }
    }
    const [plans] = await withRls(ids.ada, (tx) =>
      queryRows<{ generic: number; custom: number }>(
        tx,
        sql`select generic_plans::int as generic, custom_plans::int as custom
              from pg_prepared_statements where statement like '%from public.messages m%order by m.seq%'`,
      ),
    );
    expect(plans?.custom).toBeLessThanOrEqual(5);
    expect(plans?.generic).toBeGreaterThanOrEqual(5);
  });

  it("prepares nothing behind a transaction-mode pooler", async () => {
    const pooled = openPostgres(database.url!, { max: 1, pooler: true });
    try {
      const prepared = await pooled.db.transaction(async (tx) => {
        await tx.select({ id: user.id }).from(user).where(eq(user.name, "Ada"));
        return preparedMentioning(tx, `"user"."name" = $1`);
      });
      expect(prepared).toEqual([]);
    } finally {
      await pooled.close();
    }
  });

  it("runs new texts unprepared once the cap is reached, and still prepares known ones", async () => {
    const client = postgres(database.url!, { max: 1, onnotice: () => {} });
    const texts = new Set(Array.from({ length: MAX_PREPARED_TEXTS - 1 }, (_, i) => `t${i}`));
    const sql = preparingStatements(client, texts);
    try {
      const statements = await sql.begin(async (tx) => {
        await tx.unsafe("select $1::int as below_cap", [1]);
        await tx.unsafe("select $1::int as beyond_cap", [2]);
        await tx.unsafe("select $1::int as below_cap", [3]);
        return tx.unsafe<{ statement: string }[]>("select statement from pg_prepared_statements");
      });
      const prepared = statements.map((s) => s.statement);
      expect(prepared).toContain("select $1::int as below_cap");
      expect(prepared).not.toContain("select $1::int as beyond_cap");
      expect(texts.size).toBe(MAX_PREPARED_TEXTS);
    } finally {
      await client.end({ timeout: 5 });
    }
  });
});
