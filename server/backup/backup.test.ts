import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { PGlite } from "@electric-sql/pglite";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { openPglite, openPostgres, setDatabase, type DatabaseHandle } from "@/db/client";
import { migrateDatabase, MIGRATIONS_FOLDER } from "@/db/migrate";
import { drizzle } from "drizzle-orm/postgres-js";
import { migrate } from "drizzle-orm/postgres-js/migrator";
import { createAuth } from "@/server/auth";
import { seedDemoData } from "@/server/seed/demo-data";
import { databaseUrl, maintenance } from "@/test/server-postgres";
import { TarWriter } from "./archive";
import { BackupError, createBackup, readBackup, restoreBackup, type BackupTarget } from "./backup";
import { appMigrationLevel, MANIFEST_PATH, type Manifest, type Query } from "./manifest";
import { PGLITE_DUMP_PATH } from "./pglite";

const run = promisify(execFile);

/** Every row of every table in Parley's schemas, as one digest per table. */
async function tableDigests(query: Query): Promise<Record<string, string>> {
  const tables = await query(
    `select schemaname as s, tablename as t from pg_catalog.pg_tables
      where schemaname in ('public', 'drizzle') order by 1, 2`,
  );
  const digests: Record<string, string> = {};
  for (const { s, t } of tables) {
    const [row] = await query(
      `select count(*)::text || ':' || md5(coalesce(string_agg(x::text, E'\\n' order by x::text), '')) as d from "${String(s)}"."${String(t)}" x`,
    );
    digests[`${String(s)}.${String(t)}`] = String(row?.d);
  }
  return digests;
}

async function pgliteDigests(dir: string): Promise<Record<string, string>> {
  const pg = new PGlite(dir);
  try {
    return await tableDigests(async (text) => (await pg.query<Record<string, unknown>>(text)).rows);
  } finally {
    await pg.close();
  }
}

async function postgresDigests(url: string): Promise<Record<string, string>> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    return await tableDigests(async (text) => [
      ...(await sql.unsafe<Record<string, unknown>[]>(text)),
    ]);
  } finally {
    await sql.end({ timeout: 5 });
  }
}

/** Path → content of every file below `dir`. */
async function filesOf(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const name of (await fs.readdir(dir, { recursive: true })).sort()) {
    const file = path.join(dir, name);
    if ((await fs.stat(file)).isFile()) out[name] = (await fs.readFile(file)).toString("base64");
  }
  return out;
}

async function seed(handle: DatabaseHandle): Promise<void> {
  // The demo chats are written through the services, which reach the process's handle.
  setDatabase(handle);
  await migrateDatabase(handle);
  const auth = createAuth({
    db: handle.db,
    secret: randomBytes(32).toString("hex"),
    baseURL: "http://localhost:3000",
  });
  await seedDemoData(handle.db, auth);
}

/** Attachments as the local driver lays them out, one with a path longer than plain tar takes. */
async function writeStoredFiles(dataDir: string): Promise<void> {
  const chat = path.join(
    dataDir,
    "storage",
    "attachments",
    "chats",
    randomUUIDish(),
    randomUUIDish(),
  );
  await fs.mkdir(chat, { recursive: true });
  await fs.writeFile(path.join(chat, `20261207_120000_${"a".repeat(16)}.png`), randomBytes(70_000));
  await fs.writeFile(
    path.join(chat, `20261207_120000_${"a".repeat(16)}_thumb.webp`),
    randomBytes(513),
  );
  await fs.writeFile(path.join(chat, "empty.txt"), "");
  // An upload in flight is not an object yet and stays out of the backup.
  await fs.writeFile(path.join(chat, "x.png.0a1b2c.partial"), "half");
}

function randomUUIDish(): string {
  return randomBytes(16)
    .toString("hex")
    .replace(/(.{8})(.{4})(.{4})(.{4})(.{12})/, "$1-$2-$3-$4-$5");
}

let root: string;
beforeAll(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), "parley-backup-test-"));
});
afterAll(async () => {
  await fs.rm(root, { recursive: true, force: true });
});

describe("PGlite backups", () => {
  let source: BackupTarget;
  let sourceDigests: Record<string, string>;
  let sourceFiles: Record<string, string>;
  let backupFile: string;

  beforeAll(async () => {
    const started = Date.now();
    source = { dataDir: path.join(root, "source"), databaseUrl: undefined, localFiles: true };
    const handle = openPglite(path.join(source.dataDir, "pglite"));
    try {
      await seed(handle);
      const pg = handle.pglite;
      if (!pg) throw new Error("a PGlite handle without its instance");
      sourceDigests = await tableDigests(
        async (text) => (await pg.query<Record<string, unknown>>(text)).rows,
      );
    } finally {
      await handle.close();
    }
    await writeStoredFiles(source.dataDir);
    await fs.writeFile(path.join(source.dataDir, "auth-secret"), "s".repeat(40) + "\n");
    sourceFiles = await filesOf(path.join(source.dataDir, "storage"));
    backupFile = path.join(root, "pglite.tar");
    await createBackup(backupFile, source);
    console.log(`PGlite seed + backup: ${Date.now() - started} ms`);
  }, 120_000);

  it("restores into a fresh DATA_DIR with the same rows, files and generated secret", async () => {
    const started = Date.now();
    const target: BackupTarget = { ...source, dataDir: path.join(root, "restored") };
    const result = await restoreBackup(backupFile, target);
    console.log(`PGlite restore: ${Date.now() - started} ms`);
    expect(result.migrationsApplied).toBe(0);
    expect(result.filesRestored).toBe(3);
    const digests = await pgliteDigests(path.join(target.dataDir, "pglite"));
    expect(Object.keys(digests).length).toBeGreaterThan(20);
    expect(digests["public.user"]).toMatch(/^4:/);
    expect(digests).toEqual(sourceDigests);
    const restoredFiles = await filesOf(path.join(target.dataDir, "storage"));
    expect(Object.keys(restoredFiles).some((name) => name.endsWith(".partial"))).toBe(false);
    const withoutPartial = Object.fromEntries(
      Object.entries(sourceFiles).filter(([name]) => !name.endsWith(".partial")),
    );
    expect(restoredFiles).toEqual(withoutPartial);
    expect(await fs.readFile(path.join(target.dataDir, "auth-secret"), "utf8")).toBe(
      "s".repeat(40) + "\n",
    );
    expect((await fs.readdir(target.dataDir)).filter((n) => n.startsWith(".restore-"))).toEqual([]);

    // A second restore over it is refused without --force (the CLI test replaces it with it).
    await expect(restoreBackup(backupFile, target)).rejects.toThrow(/already holds a database/);
  }, 120_000);

  it("records the migration level, row counts and every entry's hash in the manifest", async () => {
    const { manifest, index } = await readBackup(backupFile);
    expect(manifest.engine).toBe("pglite");
    expect(manifest.migrations.count).toBe(appMigrationLevel().count);
    expect(manifest.migrations.lastTag).toBe(appMigrationLevel().lastTag);
    expect(manifest.tables["public.user"]).toBe(4);
    expect(manifest.files.included).toBe(true);
    expect(index.at(-1)?.path).toBe(MANIFEST_PATH);
    expect(manifest.entries.map((e) => e.path)).toContain(PGLITE_DUMP_PATH);
    expect(manifest.entries.every((e) => /^[0-9a-f]{64}$/.test(e.sha256))).toBe(true);
  });

  it("refuses a backup from a newer migration level and writes nothing", async () => {
    const { manifest } = await readBackup(backupFile);
    const app = appMigrationLevel();
    const newer: Manifest = {
      ...manifest,
      migrations: {
        count: app.count + 1,
        lastTag: "9999_future",
        lastWhen: (app.lastWhen ?? 0) + 1,
      },
      entries: [],
    };
    const file = path.join(root, "newer.tar");
    const tar = new TarWriter(file);
    await tar.addBuffer(MANIFEST_PATH, Buffer.from(JSON.stringify(newer)));
    await tar.close();
    const target: BackupTarget = { ...source, dataDir: path.join(root, "never-written") };
    await expect(restoreBackup(file, target)).rejects.toThrow(
      /newer migration level.*upgrade Parley first/,
    );
    expect(existsSync(target.dataDir)).toBe(false);
  });

  it("refuses a corrupted or truncated archive and writes nothing", async () => {
    const { index } = await readBackup(backupFile);
    const dump = index.find((e) => e.path === PGLITE_DUMP_PATH);
    const body = await fs.readFile(backupFile);
    const corrupt = Buffer.from(body);
    corrupt.write("garbage", (dump?.offset ?? 0) + 1000);
    const corruptFile = path.join(root, "corrupt.tar");
    await fs.writeFile(corruptFile, corrupt);
    const target: BackupTarget = { ...source, dataDir: path.join(root, "never-written-2") };
    await expect(restoreBackup(corruptFile, target)).rejects.toThrow(
      /pglite\.tar\.gz does not match its SHA-256.*corrupt/,
    );
    expect(existsSync(target.dataDir)).toBe(false);

    const truncatedFile = path.join(root, "truncated.tar");
    await fs.writeFile(truncatedFile, body.subarray(0, body.length - 5000));
    await expect(restoreBackup(truncatedFile, target)).rejects.toThrow(BackupError);
    await expect(restoreBackup(path.join(root, "missing.tar"), target)).rejects.toThrow(
      /does not exist/,
    );
    expect(existsSync(target.dataDir)).toBe(false);
  });

  it("backs up and restores from the command line", async () => {
    const started = Date.now();
    const tsx = path.resolve("node_modules/.bin/tsx");
    // eslint-disable-next-line no-restricted-properties -- the children run as an operator's would: this environment with its own DATA_DIR and no server database
    const { DATABASE_URL: _unset, ...inherited } = process.env;
    const cli = (script: string, dataDir: string, ...args: string[]) =>
      run(tsx, [`scripts/${script}.ts`, ...args], { env: { ...inherited, DATA_DIR: dataDir } });

    const file = path.join(root, "cli.tar");
    const backup = await cli("db-backup", source.dataDir, file);
    expect(backup.stdout).toContain(`Backup written to ${file}`);
    // Over the directory the test above restored: --force replaces it.
    const restoredDir = path.join(root, "restored");
    const restore = await cli("db-restore", restoredDir, file, "--force");
    // The rows themselves are compared above; here the restore's own check must have passed.
    expect(restore.stdout).toMatch(/Checked: \d+ tables with the backup's row counts, 3 files/);
    expect(restore.stdout).toContain("No pending migrations");
    expect(await pgliteDigests(path.join(restoredDir, "pglite"))).toEqual(sourceDigests);

    // Bad input: one line on stderr, exit code 1, no stack trace.
    const failed = await cli("db-restore", path.join(root, "cli-never"), "package.json").then(
      () => null,
      (error: { code: number; stderr: string }) => error,
    );
    expect(failed?.code).toBe(1);
    expect(failed?.stderr.trim()).toMatch(/^Restore failed: .*is not a Parley backup/);
    expect(failed?.stderr.trim().split("\n")).toHaveLength(1);
    console.log(`CLI backup + restore: ${Date.now() - started} ms`);
  }, 120_000);
});

const serverUrl = inject("testServerUrl");
const template = inject("testTemplate");

describe.runIf(serverUrl && template)("server Postgres backups", () => {
  const base = serverUrl ?? "";
  const names = {
    source: `parley_test_${randomBytes(8).toString("hex")}`,
    target: `parley_test_${randomBytes(8).toString("hex")}`,
    olderSource: `parley_test_${randomBytes(8).toString("hex")}`,
    olderTarget: `parley_test_${randomBytes(8).toString("hex")}`,
  };
  const source: BackupTarget = {
    dataDir: "",
    databaseUrl: databaseUrl(base, names.source),
    localFiles: true,
  };

  beforeAll(async () => {
    source.dataDir = path.join(root, "server-source");
    await maintenance(base, `create database ${names.source} template ${template}`);
    // A fresh CREATE DATABASE, as an operator would make for a restore: no migrations run.
    await maintenance(base, `create database ${names.target}`);
    const handle = openPostgres(source.databaseUrl ?? "", { max: 2 });
    try {
      await seed(handle);
    } finally {
      await handle.close();
    }
    await writeStoredFiles(source.dataDir);
  }, 120_000);

  afterAll(async () => {
    for (const name of Object.values(names)) {
      await maintenance(base, `drop database if exists ${name} with (force)`);
    }
  });

  it("restores into a fresh database with the same rows, grants and files", async () => {
    const started = Date.now();
    const file = path.join(root, "server.tar");
    const manifest = await createBackup(file, source);
    expect(manifest.engine).toBe("postgres");
    const target: BackupTarget = {
      dataDir: path.join(root, "server-restored"),
      databaseUrl: databaseUrl(base, names.target),
      localFiles: true,
    };
    const result = await restoreBackup(file, target);
    console.log(`server backup + restore: ${Date.now() - started} ms`);
    expect(result.migrationsApplied).toBe(0);
    const expected = await postgresDigests(source.databaseUrl ?? "");
    expect(expected["public.user"]).toMatch(/^4:/);
    expect(await postgresDigests(target.databaseUrl ?? "")).toEqual(expected);
    expect(await filesOf(path.join(target.dataDir, "storage"))).toEqual(
      Object.fromEntries(
        Object.entries(await filesOf(path.join(source.dataDir, "storage"))).filter(
          ([name]) => !name.endsWith(".partial"),
        ),
      ),
    );

    // RLS rests on the grants and policies: they come back as they were.
    const grants = async (url: string) => {
      const sql = postgres(url, { max: 1, onnotice: () => {} });
      try {
        return await sql`
          select (select count(*)::int from pg_policies) as policies,
                 (select count(*)::int from pg_class where relrowsecurity) as rls_tables,
                 (select md5(string_agg(grantee || table_name || privilege_type, ',' order by grantee || table_name || privilege_type))
                    from information_schema.role_table_grants
                   where grantee in ('anon', 'authenticated')) as table_grants,
                 (select md5(string_agg(grantee || table_name || column_name || privilege_type, ',' order by grantee || table_name || column_name || privilege_type))
                    from information_schema.column_privileges
                   where grantee in ('anon', 'authenticated')) as column_grants`;
      } finally {
        await sql.end({ timeout: 5 });
      }
    };
    expect(await grants(target.databaseUrl ?? "")).toEqual(await grants(source.databaseUrl ?? ""));

    // Not into a database that holds Parley, unless --force, which replaces it.
    const again = { ...target, dataDir: path.join(root, "server-restored-2") };
    await expect(restoreBackup(file, again)).rejects.toThrow(/target database is not empty/);
    await restoreBackup(file, again, { force: true });
    expect(await postgresDigests(target.databaseUrl ?? "")).toEqual(expected);
  }, 120_000);

  it("brings a backup from an older migration level up to date after restoring it", async () => {
    // A database migrated by a Parley one migration behind: the same migrations, journal cut short.
    const folder = path.join(root, "older-drizzle");
    await fs.cp(MIGRATIONS_FOLDER, folder, { recursive: true });
    const journalFile = path.join(folder, "meta", "_journal.json");
    const journal = JSON.parse(await fs.readFile(journalFile, "utf8")) as { entries: unknown[] };
    journal.entries.pop();
    await fs.writeFile(journalFile, JSON.stringify(journal));
    const older = { source: names.olderSource, target: names.olderTarget };
    await maintenance(base, `create database ${older.source}`);
    await maintenance(base, `create database ${older.target}`);
    const client = postgres(databaseUrl(base, older.source), { max: 1, onnotice: () => {} });
    try {
      await migrate(drizzle(client), { migrationsFolder: folder });
    } finally {
      await client.end({ timeout: 5 });
    }
    const file = path.join(root, "older.tar");
    const manifest = await createBackup(file, {
      dataDir: path.join(root, "older-source"),
      databaseUrl: databaseUrl(base, older.source),
      localFiles: false,
    });
    expect(manifest.migrations.count).toBe(appMigrationLevel().count - 1);
    expect(manifest.files.included).toBe(false);
    const result = await restoreBackup(file, {
      dataDir: path.join(root, "older-restored"),
      databaseUrl: databaseUrl(base, older.target),
      localFiles: true,
    });
    expect(result.migrationsApplied).toBe(1);
  }, 60_000);

  it("will not restore a server backup into PGlite", async () => {
    const file = path.join(root, "server.tar");
    const target: BackupTarget = {
      dataDir: path.join(root, "wrong-engine"),
      databaseUrl: undefined,
      localFiles: true,
    };
    await expect(restoreBackup(file, target)).rejects.toThrow(/server Postgres backup/);
    expect(existsSync(target.dataDir)).toBe(false);
  });
});
