import { sql } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createTestDatabase } from "@/test/database";
import { describeWhere, withoutPgbouncer } from "@/test/requirements";
import { databaseUrl } from "@/test/server-postgres";
import { openPostgres, type DatabaseHandle } from "./client";
import { migrateDatabase } from "./migrate";
import { queryRows } from "./rows";

/** What `DATABASE_POOLER` with `DIRECT_DATABASE_URL` sends where, against a real PgBouncer. */
describeWhere(withoutPgbouncer(), "behind PgBouncer in transaction mode", () => {
  let pooled: DatabaseHandle;
  const opened: DatabaseHandle[] = [];

  beforeAll(async () => {
    pooled = await createTestDatabase("postgres", { pooled: true });
  });

  afterAll(async () => {
    for (const handle of opened) await handle.close();
    await pooled.close();
  });

  const backendsOf = async (application: string) =>
    (
      await queryRows<{ port: number | null }>(
        pooled.db,
        sql`select client_port as port from pg_stat_activity
            where datname = current_database() and application_name = ${application}`,
      )
    ).length;

  it("runs queries and transactions through the pooler, and LISTEN on a connection of its own", async () => {
    expect(new URL(pooled.url!).port).not.toBe(new URL(pooled.directUrl!).port);
    // Transaction-local settings survive the pooler: they live and die with the transaction.
    const seen = await pooled.transaction(
      sql`select set_config('parley.probe', 'kept', true)`,
      async (tx) =>
        queryRows<{ probe: string }>(tx, sql`select current_setting('parley.probe') as probe`),
    );
    expect(seen).toEqual([{ probe: "kept" }]);

    const heard: string[] = [];
    const stop = await pooled.listen("parley_pooler_probe", (payload) => heard.push(payload));
    try {
      expect(await backendsOf("parley listen")).toBe(1);
      // NOTIFY goes through the pooler; the listener hears it from Postgres.
      await pooled.db.execute(sql`select pg_notify('parley_pooler_probe', 'through')`);
      await expect.poll(() => heard).toEqual(["through"]);
    } finally {
      await stop();
    }
  });

  it("migrates and listens over the direct URL when the pooler is not even there", async () => {
    // A pooler that does not answer: only what is routed to the direct URL can work.
    const direct = pooled.directUrl!;
    const nowhere = databaseUrl("postgres://postgres@127.0.0.1:1/postgres", "nowhere");
    const handle = openPostgres(nowhere, {
      pooler: true,
      directUrl: direct,
      max: 1,
      connectTimeoutSeconds: 1,
    });
    opened.push(handle);
    await migrateDatabase(handle);
    const heard: string[] = [];
    const stop = await handle.listen("parley_direct_probe", (payload) => heard.push(payload));
    await pooled.db.execute(sql`select pg_notify('parley_direct_probe', 'heard')`);
    await expect.poll(() => heard).toEqual(["heard"]);
    await stop();
    await expect(handle.db.execute(sql`select 1`)).rejects.toThrow();
  });
});
