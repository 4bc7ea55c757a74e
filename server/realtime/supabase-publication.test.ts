import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { sql } from "drizzle-orm";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { openPglite, openPostgres, type DatabaseHandle } from "@/db/client";
import { migrateDatabase, MIGRATIONS_FOLDER } from "@/db/migrate";
import { queryRows } from "@/db/rows";
import { databaseUrl, maintenance } from "@/test/server-postgres";
import { CHANGE_TABLES } from "./postgres-changes";

/**
 * drizzle/0050: on Supabase (where the `supabase_realtime` publication exists) the tables
 * Parley captures join the publication, so hosted postgres_changes fire for them; elsewhere
 * nothing happens.
 */
const MIGRATION = path.join(MIGRATIONS_FOLDER, "0050_supabase_realtime_publication.sql");
const captured = Object.keys(CHANGE_TABLES).sort();

async function published(handle: DatabaseHandle): Promise<string[]> {
  const rows = await queryRows<{ tablename: string }>(
    handle.db,
    sql`select tablename from pg_catalog.pg_publication_tables
      where pubname = 'supabase_realtime' and schemaname = 'public' order by tablename`,
  );
  return rows.map((r) => r.tablename);
}

const serverUrl = inject("testServerUrl");

describe.skipIf(!serverUrl)("the supabase_realtime publication on a server database", () => {
  const name = `parley_publication_${randomBytes(6).toString("hex")}`;
  let url: string;
  let handle: DatabaseHandle;

  beforeAll(async () => {
    await maintenance(serverUrl!, `create database ${name}`);
    url = databaseUrl(serverUrl!, name);
    // As on a Supabase project: the publication exists, empty, before Parley migrates.
    const setup = postgres(url, { max: 1, onnotice: () => {} });
    try {
      await setup.unsafe("create publication supabase_realtime");
    } finally {
      await setup.end({ timeout: 5 });
    }
    handle = openPostgres(url, { max: 2 });
    await migrateDatabase(handle);
  });

  afterAll(async () => {
    await handle?.close();
    await maintenance(serverUrl!, `drop database if exists ${name} with (force)`);
  });

  it("holds exactly the tables the gateway captures after migrating", async () => {
    expect(await published(handle)).toEqual(captured);
  });

  it("runs again without error, and adds back a table someone took out", async () => {
    const client = postgres(url, { max: 1, onnotice: () => {} });
    try {
      await client.unsafe("alter publication supabase_realtime drop table public.message_pins");
      await client.unsafe(fs.readFileSync(MIGRATION, "utf8"));
      await client.unsafe(fs.readFileSync(MIGRATION, "utf8"));
    } finally {
      await client.end({ timeout: 5 });
    }
    expect(await published(handle)).toEqual(captured);
  });
});

describe("without a supabase_realtime publication (plain Postgres, PGlite)", () => {
  it("migrates and creates no publication", async () => {
    const handle = openPglite();
    try {
      await migrateDatabase(handle);
      const rows = await queryRows<{ n: number }>(
        handle.db,
        sql`select count(*)::int as n from pg_catalog.pg_publication where pubname = 'supabase_realtime'`,
      );
      expect(rows[0]?.n).toBe(0);
      // The statement itself is a no-op there, however often it runs.
      await handle.pglite!.exec(fs.readFileSync(MIGRATION, "utf8"));
      expect(await published(handle)).toEqual([]);
    } finally {
      await handle.close();
    }
  });
});
