import { sql } from "drizzle-orm";
import postgres, { type Sql } from "postgres";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createTestDatabase } from "@/test/database";
import { describeWhere, withoutServerPostgres } from "@/test/requirements";
import { isArrayTypesFetch, terminateBackends } from "@/test/postgres-faults";
import type { DatabaseHandle } from "./client";
import { queryRows } from "./rows";
import type { Tx } from "./types";

const USER_ID = "00000000-0000-4000-8000-000000000001";
const setup = sql`select set_config('app.user_id', ${USER_ID}, true), set_config('role', 'authenticated', true)`;

/** How long a transaction on a lost connection may take to fail (a hang would never end). */
const SETTLES_WITHIN_MS = 5_000;

function within<T>(promise: Promise<T>, ms = SETTLES_WITHIN_MS): Promise<T> {
  return Promise.race([
    promise,
    new Promise<T>((_, reject) =>
      setTimeout(() => reject(new Error(`did not settle within ${ms} ms`)), ms).unref(),
    ),
  ]);
}

describeWhere(withoutServerPostgres(), "a database connection lost mid-transaction", () => {
  let database: DatabaseHandle;
  let name: string;
  let observer: Sql;
  const uncaught: unknown[] = [];
  const onUncaught = (error: unknown) => {
    if (!isArrayTypesFetch(error)) uncaught.push(error);
  };

  beforeAll(async () => {
    database = await createTestDatabase("postgres");
    name = new URL(database.url!).pathname.slice(1);
    observer = postgres(database.url!, { max: 1, onnotice: () => {} });
    process.on("uncaughtException", onUncaught);
    process.on("unhandledRejection", onUncaught);
  });

  afterAll(async () => {
    await observer?.end({ timeout: 5 });
    process.off("uncaughtException", onUncaught);
    process.off("unhandledRejection", onUncaught);
    await database?.close();
  });

  /** Terminates every backend of the test database, as `pg_terminate_backend` would one. */
  const terminateAll = () =>
    terminateBackends(database.url!.replace(`/${name}`, "/postgres"), name);

  /** Waits until `count` backends of the test database are inside `pg_sleep`. */
  async function sleepers(count: number): Promise<void> {
    const deadline = Date.now() + SETTLES_WITHIN_MS;
    for (;;) {
      // On a connection of its own: the pool's are all taken by the transactions watched.
      const [row] = await observer<{ n: number }[]>`
        select count(*)::int as n from pg_stat_activity
        where datname = current_database() and query like 'select pg_sleep%'`;
      if ((row?.n ?? 0) >= count) return;
      if (Date.now() > deadline) throw new Error(`${count} sleepers never showed`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  const who = (tx: Tx) =>
    queryRows<{ user_id: string }>(tx, sql`select current_setting('app.user_id') as user_id`);

  /** Every slot of the pool (4) takes a transaction, then each one more, then some more. */
  async function poolStillServes(): Promise<void> {
    const results = await within(
      Promise.all(Array.from({ length: 12 }, () => database.transaction(setup, who))),
    );
    for (const [row] of results) expect(row?.user_id).toBe(USER_ID);
  }

  it("fails the transactions in flight, settles each, and the next ones succeed", async () => {
    await poolStillServes();
    const inFlight = Promise.allSettled(
      Array.from({ length: 4 }, () =>
        within(
          database.transaction(setup, async (tx) => {
            await tx.execute(sql`select pg_sleep(2)`);
            return who(tx);
          }),
        ),
      ),
    );
    await sleepers(4);
    await terminateAll();
    const settled = await inFlight;
    for (const result of settled) {
      expect(result.status).toBe("rejected");
      const reason = (result as PromiseRejectedResult).reason as Error;
      expect(reason.message).not.toMatch(/did not settle/);
    }
    await poolStillServes();
    expect(uncaught).toEqual([]);
  });

  it("refuses at once a statement the work starts after the connection is gone", async () => {
    const outcome = within(
      database.transaction(setup, async (tx) => {
        // The work swallows the first failure and carries on, as careless code might.
        await tx.execute(sql`select pg_sleep(2)`).catch(() => undefined);
        return who(tx);
      }),
    );
    const settled = Promise.allSettled([outcome]);
    await sleepers(1);
    await terminateAll();
    const [result] = await settled;
    expect(result?.status).toBe("rejected");
    expect(String((result as PromiseRejectedResult).reason)).not.toMatch(/did not settle/);
    await poolStillServes();
    expect(uncaught).toEqual([]);
  });

  it("replaces connections terminated while idle in the pool", async () => {
    await poolStillServes();
    await terminateAll();
    await new Promise((resolve) => setTimeout(resolve, 100));
    await poolStillServes();
    expect(uncaught).toEqual([]);
  });

  it("fails a transaction whose connection goes while it commits, without hanging", async () => {
    for (let round = 0; round < 5; round++) {
      const attempts = Array.from({ length: 8 }, () =>
        within(database.transaction(setup, who)).then(
          () => "committed",
          (error: Error) => (/did not settle/.test(error.message) ? "hung" : "failed"),
        ),
      );
      await terminateAll();
      const outcomes = await Promise.all(attempts);
      expect(outcomes).not.toContain("hung");
    }
    await poolStillServes();
    expect(uncaught).toEqual([]);
  });

  it("lets a reserved postgres.js connection whose backend died fail, not crash (patches/)", async () => {
    // postgres.js's own connections to Postgres (behind a pooler, the backend dies elsewhere).
    const client = postgres(database.directUrl!, { max: 2, onnotice: () => {} });
    try {
      const reserved = await client.reserve();
      await reserved`select 1`;
      await terminateAll();
      await new Promise((resolve) => setTimeout(resolve, 100));
      // Each statement on the dead connection is refused; before the patch the second threw
      // from a timer (an uncaught TypeError) and never settled.
      await expect(within(reserved`select 1`)).rejects.toThrow(/CONNECTION_CLOSED|terminat/);
      await expect(within(reserved`select 1`)).rejects.toThrow(/CONNECTION_CLOSED/);
      reserved.release();
      const rows = await within(Promise.all([client`select 1 as one`, client`select 2 as two`]));
      expect(rows).toEqual([[{ one: 1 }], [{ two: 2 }]]);
    } finally {
      await client.end({ timeout: 5 });
    }
    expect(uncaught).toEqual([]);
  });
});
