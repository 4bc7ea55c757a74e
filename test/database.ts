import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, inject } from "vitest";
import { openPglite, openPostgres, setDatabase, type DatabaseHandle } from "@/db/client";
import { migrateDatabase } from "@/db/migrate";
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

/** A fresh, migrated database for one test file. */
export async function createTestDatabase(
  driver: TestDriver = defaultDriver(),
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
  const handle = openPostgres(databaseUrl(baseUrl, name), { max: 4 });
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
export function useTestDatabase(driver?: TestDriver): { readonly handle: DatabaseHandle } {
  const box: { handle?: DatabaseHandle } = {};
  beforeAll(async () => {
    box.handle = await createTestDatabase(driver);
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
