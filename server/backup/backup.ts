import "server-only";

import { createHash, randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { openPostgres } from "@/db/client";
import { migrateDatabase } from "@/db/migrate";
import {
  BackupError,
  checkNoneMissing,
  extractTarEntries,
  listedEntry,
  readTarEntries,
  TarWriter,
  type ExpectedEntry,
  type TarEntry,
  type WrittenEntry,
} from "./archive";
import { addStoredFiles, FILES_PREFIX, isEmptyDir } from "./files";
import {
  appVersion,
  compareCounts,
  describeLevel,
  FORMAT,
  FORMAT_VERSION,
  MANIFEST_PATH,
  parseManifest,
  refuseNewerLevel,
  type Manifest,
  type MigrationLevel,
} from "./manifest";
import {
  assertNotInUse,
  dumpPglite,
  loadPglite,
  migratePglite,
  PGLITE_DUMP_PATH,
  type DatabaseState,
} from "./pglite";
import {
  dumpPostgres,
  POSTGRES_DUMP_PATH,
  prepareTarget,
  readPostgresState,
  restorePostgres,
  type PreparedTarget,
} from "./postgres";

export { BackupError } from "./archive";

export interface BackupTarget {
  /** `$DATA_DIR`: PGlite lives in `pglite/`, the local storage driver's files in `storage/`. */
  dataDir: string;
  /** Server Postgres; undefined means PGlite. */
  databaseUrl: string | undefined;
  /** True with the local storage driver; false when files live in a remote store (Supabase). */
  localFiles: boolean;
}

export type Log = (line: string) => void;

const pgliteDir = (t: BackupTarget) => path.join(t.dataDir, "pglite");

/**
 * Secrets Parley generates into DATA_DIR outside production when the environment gives none
 * (server/auth-secret.ts, server/notifications/vapid.ts). The data depends on them — the
 * auth secret signs sessions and unsubscribe links, push subscriptions are bound to the VAPID
 * key — so a restore without them would leave those broken.
 */
const SECRET_FILES = ["auth-secret", "vapid.json"];
const SECRETS_PREFIX = "secrets/";
const storageDir = (t: BackupTarget) => path.join(t.dataDir, "storage");

function sha256(body: Buffer): string {
  return createHash("sha256").update(body).digest("hex");
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

/**
 * Writes a backup to `file` (which must not exist): the database dump, the local storage
 * driver's files, and `manifest.json` last, once every hash is known. The archive is written
 * under a temporary name and renamed, so `file` is either a whole backup or absent.
 */
export async function createBackup(
  file: string,
  target: BackupTarget,
  options: { force?: boolean; log?: Log } = {},
): Promise<Manifest> {
  const log = options.log ?? (() => {});
  if (existsSync(file)) throw new BackupError(`${file} already exists: choose a new file name`);
  const partial = `${file}.${randomBytes(4).toString("hex")}.partial`;
  const scratch = await fs.mkdtemp(path.join(os.tmpdir(), "parley-backup-"));
  let tar: TarWriter | undefined;
  try {
    tar = new TarWriter(partial);
    const entries: WrittenEntry[] = [];
    let state: DatabaseState;
    if (target.databaseUrl) {
      const dump = path.join(scratch, "postgres.dump");
      state = await dumpPostgres(target.databaseUrl, dump);
      entries.push(await tar.addFile(POSTGRES_DUMP_PATH, dump));
    } else {
      const { dump, ...rest } = await dumpPglite(pgliteDir(target), options.force ?? false);
      state = rest;
      entries.push(await tar.addBuffer(PGLITE_DUMP_PATH, dump));
    }
    log(
      `Database: ${describeLevel(state.level)}, ${plural(Object.keys(state.tables).length, "table")}.`,
    );
    if (target.localFiles) {
      const files = await addStoredFiles(tar, storageDir(target));
      entries.push(...files);
      log(`Stored files: ${plural(files.length, "file")}.`);
    } else {
      log("Stored files: not included (they are in remote storage, back that up on its own).");
    }
    for (const name of SECRET_FILES) {
      const secret = path.join(target.dataDir, name);
      if (existsSync(secret)) entries.push(await tar.addFile(SECRETS_PREFIX + name, secret));
    }
    const manifest: Manifest = {
      format: FORMAT,
      formatVersion: FORMAT_VERSION,
      appVersion: appVersion(),
      engine: target.databaseUrl ? "postgres" : "pglite",
      createdAt: new Date().toISOString(),
      migrations: state.level,
      tables: state.tables,
      files: target.localFiles
        ? { included: true }
        : {
            included: false,
            note: "stored files are in remote storage (Supabase) and were not included",
          },
      entries,
    };
    await tar.addBuffer(MANIFEST_PATH, Buffer.from(JSON.stringify(manifest, null, 2) + "\n"));
    await tar.close();
    tar = undefined;
    await fs.rename(partial, file);
    return manifest;
  } catch (error) {
    await tar?.abort();
    await fs.rm(partial, { force: true });
    throw error;
  } finally {
    await fs.rm(scratch, { recursive: true, force: true });
  }
}

export interface ReadBackup {
  index: TarEntry[];
  manifest: Manifest;
  /** The manifest's own bytes, so the unpacking pass can check it too. */
  manifestBody: Buffer;
  /** The generated secrets in the backup, by archive path (small, and written last). */
  secrets: Map<string, Buffer>;
}

/** Reads and checks an archive's entries and manifest; writes nothing. */
export async function readBackup(file: string): Promise<ReadBackup> {
  if (!existsSync(file)) throw new BackupError(`${file} does not exist`);
  let index: TarEntry[];
  let bodies: Map<string, Buffer>;
  try {
    ({ entries: index, bodies } = await readTarEntries(
      file,
      new Set([MANIFEST_PATH, ...SECRET_FILES.map((name) => SECRETS_PREFIX + name)]),
    ));
  } catch (error) {
    if (error instanceof BackupError)
      throw new BackupError(`${file} is not a Parley backup: ${error.message}`);
    throw error;
  }
  const manifestBody = bodies.get(MANIFEST_PATH);
  if (!manifestBody) throw new BackupError(`${file} is not a Parley backup (no manifest.json)`);
  bodies.delete(MANIFEST_PATH);
  const manifest = parseManifest(manifestBody);
  const listed = new Map(manifest.entries.map((e) => [e.path, e]));
  for (const entry of index) if (entry.path !== MANIFEST_PATH) listedEntry(listed, entry);
  checkNoneMissing(manifest.entries, new Set(index.map((e) => e.path)));
  return { index, manifest, manifestBody, secrets: bodies };
}

function sameLevel(a: MigrationLevel, b: MigrationLevel): boolean {
  return a.count === b.count && a.lastWhen === b.lastWhen;
}

function checkRestored(manifest: Manifest, state: DatabaseState): void {
  if (!sameLevel(manifest.migrations, state.level)) {
    throw new BackupError(
      `the restored database is at ${describeLevel(state.level)}, the backup says ${describeLevel(manifest.migrations)}`,
    );
  }
  const differences = compareCounts(manifest.tables, state.tables);
  if (differences.length > 0) {
    throw new BackupError(
      `the restored rows do not match the backup: ${differences.slice(0, 5).join("; ")}`,
    );
  }
}

/** Moves `fresh` to `target`, setting aside what was there in `aside` (removed later). */
async function swapIn(fresh: string, target: string, aside: string): Promise<void> {
  if (existsSync(target)) await fs.rename(target, aside);
  await fs.rename(fresh, target);
}

/** Undoes swapIn: what was set aside goes back to `target`. */
async function swapBack(target: string, aside: string): Promise<void> {
  await fs.rm(target, { recursive: true, force: true });
  if (existsSync(aside)) await fs.rename(aside, target);
}

export interface RestoreResult {
  manifest: Manifest;
  filesRestored: number;
  /** Migrations applied after the restore, bringing an older backup up to date. */
  migrationsApplied: number;
}

/**
 * Restores a backup into the configured target. Everything is read and checked before the
 * target changes: the manifest, the migration level, the target's emptiness, every entry's
 * hash, and the restored database's migration level and row counts; only then are the new
 * PGlite directory and storage files renamed into place (or, on a server, the schemas set
 * aside by `--force` dropped), the files before the database. Pending migrations run last.
 */
export async function restoreBackup(
  file: string,
  target: BackupTarget,
  options: { force?: boolean; log?: Log } = {},
): Promise<RestoreResult> {
  const log = options.log ?? (() => {});
  const force = options.force ?? false;
  const { manifest, manifestBody, secrets } = await readBackup(file);
  const refusal = refuseNewerLevel(manifest.migrations);
  if (refusal) throw new BackupError(refusal);
  const engine = target.databaseUrl ? "postgres" : "pglite";
  if (manifest.engine !== engine) {
    throw new BackupError(
      manifest.engine === "pglite"
        ? "this is a PGlite backup: restore it with DATABASE_URL unset (into DATA_DIR)"
        : "this is a server Postgres backup: restore it with DATABASE_URL set to an empty database",
    );
  }
  log(
    `Backup of Parley ${manifest.appVersion} (${manifest.engine}), made ${manifest.createdAt}: ${describeLevel(manifest.migrations)}.`,
  );

  const restoreFiles = manifest.files.included && target.localFiles;
  if (manifest.files.included && !target.localFiles) {
    log("Stored files are in the backup, but remote storage is configured: they are not restored.");
  }
  if (!manifest.files.included)
    log(`Stored files: not in the backup (${manifest.files.note ?? "excluded"}).`);
  if (engine === "pglite") {
    assertNotInUse(
      pgliteDir(target),
      `remove ${pgliteDir(target)} yourself if you mean to replace it`,
    );
    if (!force && !(await isEmptyDir(pgliteDir(target)))) {
      throw new BackupError(
        `${pgliteDir(target)} already holds a database: pass --force to replace it`,
      );
    }
  }
  if (restoreFiles && !force && !(await isEmptyDir(storageDir(target)))) {
    throw new BackupError(
      `${storageDir(target)} already holds files: pass --force to replace them`,
    );
  }

  const secretBodies = new Map<string, Buffer>();
  for (const [entryPath, body] of secrets) {
    const name = entryPath.slice(SECRETS_PREFIX.length);
    const expected = manifest.entries.find((e) => e.path === entryPath);
    if (!expected || sha256(body) !== expected.sha256) {
      throw new BackupError(
        `${entryPath} does not match its SHA-256 in the manifest: the backup is corrupt`,
      );
    }
    const existing = path.join(target.dataDir, name);
    if (!force && existsSync(existing) && !(await fs.readFile(existing)).equals(body)) {
      throw new BackupError(`${existing} differs from the backup's: pass --force to replace it`);
    }
    secretBodies.set(name, body);
  }

  const dataDirExisted = existsSync(target.dataDir);
  await fs.mkdir(target.dataDir, { recursive: true });
  // In DATA_DIR, so the finished directories move into place by rename.
  const work = await fs.mkdtemp(path.join(target.dataDir, ".restore-"));
  let prepared: PreparedTarget | undefined;
  let filesRestored = 0;
  let after: MigrationLevel | undefined;
  try {
    const dumpPath = engine === "pglite" ? PGLITE_DUMP_PATH : POSTGRES_DUMP_PATH;
    if (!manifest.entries.some((e) => e.path === dumpPath)) {
      throw new BackupError(`the backup has no ${dumpPath}`);
    }
    const dumpFile = path.join(work, path.basename(dumpPath));
    const storage = path.join(work, "storage");
    // One pass over the archive checks every entry's size and hash, the manifest's too (it
    // must be the one read above), and unpacks what this restore needs.
    const expected: ExpectedEntry[] = manifest.entries.map((entry) => {
      if (entry.path === dumpPath) return { ...entry, target: dumpFile };
      if (restoreFiles && entry.path.startsWith(FILES_PREFIX)) {
        filesRestored += 1;
        // The archive's paths were checked to be relative and free of `..` when it was read.
        const relative = entry.path.slice(FILES_PREFIX.length).split("/");
        return { ...entry, target: path.join(storage, ...relative) };
      }
      return entry;
    });
    expected.push({ path: MANIFEST_PATH, size: manifestBody.length, sha256: sha256(manifestBody) });
    if (restoreFiles) await fs.mkdir(storage, { recursive: true });
    await extractTarEntries(file, expected);

    const checked = (state: DatabaseState) => {
      checkRestored(manifest, state);
      log(
        `Checked: ${plural(Object.keys(state.tables).length, "table")} with the backup's row counts, ${plural(filesRestored, "file")} with their hashes.`,
      );
    };
    if (engine === "pglite") {
      // Migrated before it moves into place, so DATA_DIR never holds a half-done restore.
      after = await loadPglite(path.join(work, "pglite"), dumpFile, async (state, pg) => {
        checked(state);
        return migratePglite(pg);
      });
    } else {
      const url = target.databaseUrl ?? "";
      prepared = await prepareTarget(url, force);
      await restorePostgres(url, dumpFile);
      checked(await readPostgresState(url));
    }

    // The files move first: until the database has moved too (or, on a server, its swap is
    // committed), they can still be put back, so a failure leaves the old database with its
    // old files rather than the new database with the old files.
    const replacedStorage = path.join(work, "replaced-storage");
    if (restoreFiles) await swapIn(storage, storageDir(target), replacedStorage);
    try {
      if (engine === "pglite") {
        await swapIn(
          path.join(work, "pglite"),
          pgliteDir(target),
          path.join(work, "replaced-pglite"),
        );
      } else {
        await prepared?.commit();
        prepared = undefined;
      }
    } catch (error) {
      if (restoreFiles) await swapBack(storageDir(target), replacedStorage);
      throw error;
    }
    for (const [name, body] of secretBodies) {
      await fs.writeFile(path.join(target.dataDir, name), body, { mode: 0o600 });
    }
  } catch (error) {
    await prepared?.rollback().catch(() => {});
    await fs.rm(work, { recursive: true, force: true });
    if (!dataDirExisted) await fs.rm(target.dataDir, { recursive: true, force: true });
    throw error;
  }
  await fs.rm(work, { recursive: true, force: true });

  after ??= await migratePostgres(target.databaseUrl ?? "");
  const migrationsApplied = after.count - manifest.migrations.count;
  log(
    migrationsApplied > 0
      ? `Applied ${plural(migrationsApplied, "pending migration")}: the backup is now at this Parley's level.`
      : "No pending migrations: the backup was made at this Parley's migration level.",
  );
  return { manifest, filesRestored, migrationsApplied };
}

async function migratePostgres(url: string): Promise<MigrationLevel> {
  const handle = openPostgres(url, { max: 1 });
  try {
    await migrateDatabase(handle);
  } finally {
    await handle.close();
  }
  return (await readPostgresState(url)).level;
}
