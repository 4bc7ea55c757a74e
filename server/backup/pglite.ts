import "server-only";

import { existsSync, openAsBlob } from "node:fs";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { drizzle } from "drizzle-orm/pglite";
import { migrate } from "drizzle-orm/pglite/migrator";
import { MIGRATIONS_FOLDER } from "@/db/migrate";
import { BackupError } from "./archive";
import { countRows, readMigrationLevel, type MigrationLevel, type Query } from "./manifest";

export const PGLITE_DUMP_PATH = "database/pglite.tar.gz";

export interface DatabaseState {
  level: MigrationLevel;
  tables: Record<string, number>;
}

function queryOf(pg: PGlite): Query {
  return async (text) => (await pg.query<Record<string, unknown>>(text)).rows;
}

/**
 * PGlite is one process's database with no lock of its own: a second process opening the
 * directory while Parley runs would corrupt it. PGlite keeps `postmaster.pid` there while
 * open and removes it on close, so its presence means a running (or crashed) Parley.
 */
export function assertNotInUse(dataDir: string, ifStale: string): void {
  if (existsSync(path.join(dataDir, "postmaster.pid"))) {
    throw new BackupError(
      `the PGlite database in ${dataDir} is in use (postmaster.pid exists): stop Parley first. ` +
        `If it is not running, it did not shut down cleanly: ${ifStale}`,
    );
  }
}

/** The data directory as PGlite's own gzip tarball, with the state it holds. */
export async function dumpPglite(
  dataDir: string,
  force: boolean,
): Promise<DatabaseState & { dump: Buffer }> {
  if (!existsSync(path.join(dataDir, "PG_VERSION"))) {
    throw new BackupError(`there is no PGlite database in ${dataDir}`);
  }
  if (!force) assertNotInUse(dataDir, "start and stop it once, or pass --force");
  const pg = new PGlite(dataDir);
  try {
    const query = queryOf(pg);
    const level = await readMigrationLevel(query);
    const tables = await countRows(query);
    const blob = await pg.dumpDataDir("gzip");
    return { level, tables, dump: Buffer.from(await blob.arrayBuffer()) };
  } finally {
    await pg.close();
  }
}

/**
 * Creates the data directory `dataDir` (which must not exist) from a dump file, reads what it
 * holds, and lets `then` finish the work on the same instance — booting PGlite is the slow
 * part, so the check and the pending migrations share one boot.
 */
export async function loadPglite<T>(
  dataDir: string,
  dumpFile: string,
  then: (state: DatabaseState, pg: PGlite) => Promise<T>,
): Promise<T> {
  let pg: PGlite;
  try {
    pg = await PGlite.create({ dataDir, loadDataDir: await openAsBlob(dumpFile) });
  } catch (error) {
    throw new BackupError(
      `the PGlite dump in the backup does not load: ${(error as Error).message}`,
    );
  }
  try {
    const query = queryOf(pg);
    return await then(
      { level: await readMigrationLevel(query), tables: await countRows(query) },
      pg,
    );
  } finally {
    await pg.close();
  }
}

/** Applies pending migrations to a restored PGlite directory before it moves into place. */
export async function migratePglite(pg: PGlite): Promise<MigrationLevel> {
  await migrate(drizzle(pg), { migrationsFolder: MIGRATIONS_FOLDER });
  return readMigrationLevel(queryOf(pg));
}
