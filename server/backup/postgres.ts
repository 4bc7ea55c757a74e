import "server-only";

import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs/promises";
import postgres, { type Sql, type TransactionSql } from "postgres";
import { BackupError } from "./archive";
import { countRows, readMigrationLevel, type Query } from "./manifest";
import type { DatabaseState } from "./pglite";

export const POSTGRES_DUMP_PATH = "database/postgres.dump";

/** The schemas Parley owns: its tables and drizzle's migration journal, nothing else. */
const SCHEMAS = ["public", "drizzle"];

/**
 * libpq takes the password from the environment rather than the URL, so it never shows in
 * the process list while pg_dump or pg_restore runs.
 */
export function libpqTarget(url: string): { dbname: string; env: Record<string, string> } {
  const parsed = new URL(url);
  const password = decodeURIComponent(parsed.password);
  parsed.password = "";
  return { dbname: parsed.toString(), env: password ? { PGPASSWORD: password } : {} };
}

function run(command: string, args: string[], env: Record<string, string>): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      // eslint-disable-next-line no-restricted-properties -- the client tools need the operator's PATH and libpq settings (PGSSLROOTCERT, …), plus the password
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const stdout: Buffer[] = [];
    child.stdout.on("data", (chunk: Buffer) => stdout.push(chunk));
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => {
      stderr = (stderr + chunk.toString("utf8")).slice(-4000);
    });
    child.on("error", (error: NodeJS.ErrnoException) => {
      reject(
        new BackupError(
          error.code === "ENOENT"
            ? `${command} is not installed: install the PostgreSQL client tools (the server's major version or newer)`
            : `${command} did not start: ${error.message}`,
        ),
      );
    });
    child.on("close", (code) => {
      if (code === 0) resolve(Buffer.concat(stdout).toString("utf8"));
      else {
        const lines = stderr.trim().split("\n").filter(Boolean).slice(-3).join(" / ");
        reject(new BackupError(`${command} failed (exit ${code}): ${lines || "no output"}`));
      }
    });
  });
}

function queryOf(sql: Sql | TransactionSql): Query {
  return async (text) => [...(await sql.unsafe<Record<string, unknown>[]>(text))];
}

function connect(url: string): Sql {
  return postgres(url, { max: 1, onnotice: () => {}, connect_timeout: 30 });
}

/**
 * pg_dump in custom format, online. The row counts for the manifest and the dump must
 * describe the same moment while Parley keeps writing, so the counts run in a transaction
 * whose snapshot pg_dump is handed (`--snapshot`).
 */
export async function dumpPostgres(url: string, target: string): Promise<DatabaseState> {
  const sql = connect(url);
  try {
    return await sql.begin("isolation level repeatable read read only", async (tx) => {
      const [row] = await tx<{ id: string }[]>`select pg_export_snapshot() as id`;
      const query = queryOf(tx);
      const state = { level: await readMigrationLevel(query), tables: await countRows(query) };
      const { dbname, env } = libpqTarget(url);
      await run(
        "pg_dump",
        [
          "--format=custom",
          `--snapshot=${row?.id ?? ""}`,
          ...SCHEMAS.map((s) => `--schema=${s}`),
          `--file=${target}`,
          `--dbname=${dbname}`,
        ],
        env,
      );
      return state;
    });
  } finally {
    await sql.end({ timeout: 5 });
  }
}

export async function readPostgresState(url: string): Promise<DatabaseState> {
  const sql = connect(url);
  try {
    const query = queryOf(sql);
    return { level: await readMigrationLevel(query), tables: await countRows(query) };
  } finally {
    await sql.end({ timeout: 5 });
  }
}

/** True when the database holds nothing of Parley's (a fresh `CREATE DATABASE`). */
async function holdsParley(sql: Sql): Promise<boolean> {
  const [row] = await sql<{ used: boolean }[]>`
    select exists (select 1 from pg_catalog.pg_namespace where nspname = 'drizzle')
        or exists (select 1 from pg_catalog.pg_class c
                     join pg_catalog.pg_namespace n on n.oid = c.relnamespace
                    where n.nspname = 'public')
        or exists (select 1 from pg_catalog.pg_proc p
                     join pg_catalog.pg_namespace n on n.oid = p.pronamespace
                    where n.nspname = 'public') as used`;
  return row?.used ?? false;
}

/**
 * The roles the policies and grants name are cluster-wide, so a fresh cluster lacks them and
 * pg_restore would fail on the first GRANT. Created as migration 0001 creates them, with the
 * membership `withRls` needs to switch to them.
 */
const ENSURE_ROLES = `
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'anon') THEN
    CREATE ROLE anon NOLOGIN NOINHERIT;
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'authenticated') THEN
    CREATE ROLE authenticated NOLOGIN NOINHERIT;
  END IF;
  IF NOT pg_has_role(current_user, 'anon', 'MEMBER') THEN
    EXECUTE format('GRANT anon TO %I', current_user);
  END IF;
  IF NOT pg_has_role(current_user, 'authenticated', 'MEMBER') THEN
    EXECUTE format('GRANT authenticated TO %I', current_user);
  END IF;
END
$$`;

export interface PreparedTarget {
  /** Drops what `--force` set aside, once the restore is checked. */
  commit(): Promise<void>;
  /** Removes a failed restore and puts back what was there. */
  rollback(): Promise<void>;
}

/**
 * Readies the target database. A database with Parley's objects is refused unless `force`;
 * then its `public` and `drizzle` schemas are renamed aside rather than dropped, so a restore
 * that fails puts them back and one that succeeds drops them.
 */
export async function prepareTarget(url: string, force: boolean): Promise<PreparedTarget> {
  const sql = connect(url);
  try {
    await sql.unsafe(ENSURE_ROLES);
    if (!(await holdsParley(sql))) {
      return {
        commit: async () => {},
        rollback: () => clearParleySchemas(url),
      };
    }
    if (!force) {
      throw new BackupError(
        "the target database is not empty: restore into a fresh database, or pass --force to replace its Parley data",
      );
    }
    const suffix = randomBytes(4).toString("hex");
    const asidePublic = `parley_replaced_public_${suffix}`;
    const asideDrizzle = `parley_replaced_drizzle_${suffix}`;
    const [drizzle] = await sql<{ present: boolean }[]>`
      select exists (select 1 from pg_catalog.pg_namespace where nspname = 'drizzle') as present`;
    await sql.begin(async (tx) => {
      await tx.unsafe(`alter schema public rename to ${asidePublic}`);
      if (drizzle?.present) await tx.unsafe(`alter schema drizzle rename to ${asideDrizzle}`);
      await tx.unsafe("create schema public");
      await tx.unsafe("grant usage on schema public to public");
    });
    const withConnection = async (fn: (sql: Sql) => Promise<void>) => {
      const again = connect(url);
      try {
        await fn(again);
      } finally {
        await again.end({ timeout: 5 });
      }
    };
    return {
      commit: () =>
        withConnection(async (c) => {
          await c.unsafe(`drop schema ${asidePublic} cascade`);
          await c.unsafe(`drop schema if exists ${asideDrizzle} cascade`);
        }),
      rollback: () =>
        withConnection(async (c) => {
          await c.begin(async (tx) => {
            await tx.unsafe("drop schema if exists drizzle cascade");
            await tx.unsafe("drop schema public cascade");
            await tx.unsafe(`alter schema ${asidePublic} rename to public`);
            if (drizzle?.present) await tx.unsafe(`alter schema ${asideDrizzle} rename to drizzle`);
          });
        }),
    };
  } finally {
    await sql.end({ timeout: 5 });
  }
}

/** Leaves a database as fresh as `CREATE DATABASE` made it, after a failed restore into it. */
async function clearParleySchemas(url: string): Promise<void> {
  const sql = connect(url);
  try {
    await sql.begin(async (tx) => {
      await tx.unsafe("drop schema if exists drizzle cascade");
      await tx.unsafe("drop schema public cascade");
      await tx.unsafe("create schema public");
      await tx.unsafe("grant usage on schema public to public");
    });
  } finally {
    await sql.end({ timeout: 5 });
  }
}

/**
 * pg_restore in one transaction, so a failure leaves nothing half-restored. `--no-owner`:
 * the objects belong to whoever restores — the role Parley connects as, which is what ran
 * the migrations — since the backup's owner may not exist on this cluster. Grants (ACLs)
 * and policies are kept: they are what RLS rests on.
 */
export async function restorePostgres(url: string, dumpFile: string): Promise<void> {
  const { dbname, env } = libpqTarget(url);
  const list = await run("pg_restore", ["--list", dumpFile], {});
  const listFile = `${dumpFile}.list`;
  await fs.writeFile(listFile, restoreList(list));
  await run(
    "pg_restore",
    [
      "--no-owner",
      "--single-transaction",
      "--exit-on-error",
      `--use-list=${listFile}`,
      `--dbname=${dbname}`,
      dumpFile,
    ],
    env,
  );
}

/**
 * The dump's table of contents without `CREATE SCHEMA public` and its stock comment: every
 * database already has that schema (a fresh one from CREATE DATABASE, a replaced one from
 * prepareTarget), and its comment needs its owner. Its grants to anon and authenticated stay.
 */
export function restoreList(list: string): string {
  return list
    .split("\n")
    .filter((line) => !/^\d+; \d+ \d+ (SCHEMA|COMMENT) - (SCHEMA )?public /.test(line))
    .join("\n");
}
