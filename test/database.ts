import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, inject } from "vitest";
import { openPglite, openPostgres, setDatabase, type DatabaseHandle } from "@/db/client";
import { migrateDatabase } from "@/db/migrate";
import { env } from "@/server/env";
import { databaseUrl, maintenance } from "./server-postgres";

export type TestDriver = "pglite" | "postgres";

/** The drivers a test can run on here: PGlite always, server Postgres when there is one. */
export function availableDrivers(): TestDriver[] {
  return inject("testTemplate") ? ["pglite", "postgres"] : ["pglite"];
}

/** The driver a file runs on by default: server Postgres when TEST_DATABASE_URL is set. */
export function defaultDriver(): TestDriver {
  return inject("testDefaultDriver");
}

/** The PgBouncer (transaction mode) the setup started, or null. */
export function poolerUrl(): string | null {
  return inject("testPoolerUrl");
}

export interface TestDatabaseOptions {
  /**
   * Reach the server database through the test PgBouncer (transaction mode, prepared
   * statements off), with the direct URL for LISTEN — as `DATABASE_POOLER` with
   * `DIRECT_DATABASE_URL` does. Defaults to TEST_DATABASE_POOLER.
   */
  pooled?: boolean;
}

/**
 * Another pool on the database `handle` reaches, reaching it the same way — through the test
 * PgBouncer when `handle` does — as a second instance of Parley would.
 */
export function openAlike(handle: DatabaseHandle, options: { max: number }): DatabaseHandle {
  if (!handle.url) throw new Error("openAlike: a server Postgres handle is needed");
  const pooled = handle.directUrl !== handle.url;
  return openPostgres(handle.url, {
    ...options,
    ...(pooled ? { pooler: true, directUrl: handle.directUrl! } : {}),
  });
}

/** A fresh, migrated database for one test file. */
export async function createTestDatabase(
  driver: TestDriver = defaultDriver(),
  options: TestDatabaseOptions = {},
): Promise<DatabaseHandle> {
  if (driver === "pglite") {
    const handle = openPglite();
    await migrateDatabase(handle);
    return handle;
  }
  const template = inject("testTemplate");
  const baseUrl = inject("testServerUrl");
  if (!template || !baseUrl) throw new Error("no server Postgres: set TEST_DATABASE_URL");
  const name = `parley_test_${randomBytes(8).toString("hex")}`;
  await maintenance(baseUrl, `create database ${name} template ${template}`);
  const direct = databaseUrl(baseUrl, name);
  const pooler = (options.pooled ?? env.TEST_DATABASE_POOLER) ? poolerUrl() : null;
  if ((options.pooled ?? env.TEST_DATABASE_POOLER) && !pooler) {
    throw new Error("no PgBouncer: install pgbouncer for the pooled test databases");
  }
  const handle = pooler
    ? openPostgres(databaseUrl(pooler, name), { max: 4, pooler: true, directUrl: direct })
    : openPostgres(direct, { max: 4 });
  return {
    ...handle,
    close: async () => {
      await handle.close();
      await maintenance(baseUrl, `drop database if exists ${name} with (force)`);
    },
  };
}

/**
 * Gives the calling file (or describe block) its own database, installed as the process-wide
 * one so `withRls`, Better Auth and the tRPC context use it. Closed after the block.
 */
export function useTestDatabase(
  driver?: TestDriver,
  options?: TestDatabaseOptions,
): { readonly handle: DatabaseHandle } {
  const box: { handle?: DatabaseHandle } = {};
  beforeAll(async () => {
    box.handle = await createTestDatabase(driver, options);
    setDatabase(box.handle);
  });
  afterAll(async () => {
    await box.handle?.close();
  });
  return {
    get handle() {
      if (!box.handle) throw new Error("test database is not ready yet");
      return box.handle;
    },
  };
}
