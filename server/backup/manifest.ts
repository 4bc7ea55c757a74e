import "server-only";

import { readFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import { MIGRATIONS_FOLDER } from "@/db/migrate";
import { BackupError } from "./archive";

export const MANIFEST_PATH = "manifest.json";
export const FORMAT = "parley-backup";
export const FORMAT_VERSION = 1;

/** Runs one SQL text on whichever engine, returning its rows. */
export type Query = (text: string) => Promise<Record<string, unknown>[]>;

const migrationLevel = z.object({
  /** Rows in drizzle.__drizzle_migrations. */
  count: z.number().int().nonnegative(),
  /** The journal tag of the newest applied migration, when this app knows it. */
  lastTag: z.string().nullable(),
  /** Its `when` in the journal, which is what drizzle stores as `created_at`. */
  lastWhen: z.number().nullable(),
});
export type MigrationLevel = z.infer<typeof migrationLevel>;

const entry = z.object({ path: z.string(), size: z.number(), sha256: z.string() });

export const manifestSchema = z.object({
  format: z.literal(FORMAT),
  formatVersion: z.number().int(),
  appVersion: z.string(),
  engine: z.enum(["pglite", "postgres"]),
  createdAt: z.string(),
  migrations: migrationLevel,
  /** Rows per table (`schema.table`) at the moment the dump was taken. */
  tables: z.record(z.string(), z.number()),
  files: z.object({
    included: z.boolean(),
    /** Why stored files are not in the backup (a remote storage driver). */
    note: z.string().optional(),
  }),
  entries: z.array(entry),
});
export type Manifest = z.infer<typeof manifestSchema>;

export function parseManifest(body: Buffer): Manifest {
  let json: unknown;
  try {
    json = JSON.parse(body.toString("utf8"));
  } catch {
    throw new BackupError("not a Parley backup (its manifest.json is not JSON)");
  }
  const format = (json as { format?: unknown; formatVersion?: unknown } | null) ?? {};
  if (format.format !== FORMAT) throw new BackupError("not a Parley backup (unknown manifest)");
  if (typeof format.formatVersion === "number" && format.formatVersion > FORMAT_VERSION) {
    throw new BackupError(
      `the backup's format version ${format.formatVersion} is newer than this Parley reads (${FORMAT_VERSION}): upgrade Parley first`,
    );
  }
  const parsed = manifestSchema.safeParse(json);
  if (!parsed.success) throw new BackupError("not a Parley backup (its manifest is incomplete)");
  return parsed.data;
}

export function appVersion(): string {
  const file = path.join(MIGRATIONS_FOLDER, "..", "package.json");
  return (JSON.parse(readFileSync(file, "utf8")) as { version: string }).version;
}

interface JournalEntry {
  tag: string;
  when: number;
}

/** The migrations this app ships, oldest first. */
export function journal(): JournalEntry[] {
  const file = path.join(MIGRATIONS_FOLDER, "meta", "_journal.json");
  return (JSON.parse(readFileSync(file, "utf8")) as { entries: JournalEntry[] }).entries;
}

export function appMigrationLevel(): MigrationLevel {
  const entries = journal();
  const last = entries.at(-1);
  return { count: entries.length, lastTag: last?.tag ?? null, lastWhen: last?.when ?? null };
}

/** What a database has applied; a database that never ran migrations is level 0. */
export async function readMigrationLevel(query: Query): Promise<MigrationLevel> {
  const [exists] = await query(
    `select to_regclass('drizzle.__drizzle_migrations') is not null as "exists"`,
  );
  if (!exists?.exists) return { count: 0, lastTag: null, lastWhen: null };
  const [row] = await query(
    `select count(*)::int as "count", max(created_at)::text as "last" from drizzle.__drizzle_migrations`,
  );
  const lastWhen = row?.last == null ? null : Number(row.last);
  const tag = journal().find((e) => e.when === lastWhen)?.tag ?? null;
  return { count: Number(row?.count ?? 0), lastTag: tag, lastWhen };
}

export function describeLevel(level: MigrationLevel): string {
  if (level.count === 0) return "no migrations";
  return `${level.count} migrations${level.lastTag ? `, last ${level.lastTag}` : ""}`;
}

/**
 * Why this app cannot take a backup at `level`, or null when it can: drizzle applies every
 * journal entry newer than the last applied one, so a backup whose last migration this app
 * does not ship came from a newer Parley, and running this one on it would be a downgrade.
 */
export function refuseNewerLevel(level: MigrationLevel): string | null {
  const app = appMigrationLevel();
  const known = level.lastWhen === null || journal().some((e) => e.when === level.lastWhen);
  if (level.count > app.count || !known) {
    return `the backup is at a newer migration level (${describeLevel(level)}${
      known ? "" : `, last applied at ${level.lastWhen} which this app does not know`
    }) than this Parley (${describeLevel(app)}): upgrade Parley first, then restore`;
  }
  return null;
}

/** Rows per table in the schemas a backup holds (Parley's `public` and drizzle's journal). */
export async function countRows(query: Query): Promise<Record<string, number>> {
  const tables = await query(
    `select schemaname as "schema", tablename as "table" from pg_catalog.pg_tables
      where schemaname in ('public', 'drizzle') order by 1, 2`,
  );
  const counts: Record<string, number> = {};
  if (tables.length === 0) return counts;
  const quote = (name: unknown) => `"${String(name).replace(/"/g, '""')}"`;
  const union = tables
    .map(
      (t) =>
        `select '${String(t.schema)}.${String(t.table).replace(/'/g, "''")}' as "name", count(*)::int as "n" from ${quote(t.schema)}.${quote(t.table)}`,
    )
    .join(" union all ");
  for (const row of await query(union)) counts[String(row.name)] = Number(row.n);
  return counts;
}

/** The differences between two row counts, one line each; empty when they agree. */
export function compareCounts(
  expected: Record<string, number>,
  actual: Record<string, number>,
): string[] {
  const names = new Set([...Object.keys(expected), ...Object.keys(actual)]);
  return [...names]
    .sort()
    .filter((name) => expected[name] !== actual[name])
    .map(
      (name) =>
        `${name}: ${expected[name] ?? "missing"} in the backup, ${actual[name] ?? "missing"} restored`,
    );
}
