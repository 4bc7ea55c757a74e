import postgres, { type Sql } from "postgres";
import { openPostgres } from "@/db/client";
import { migrateDatabase } from "@/db/migrate";
import { BENCH_DATABASE_URL, BENCH_KEEP_DATABASE } from "./config";

export interface BenchDatabase {
  name: string;
  url: string;
  /** The owner (superuser) connection: data generation, reference queries, checks. */
  sql: Sql;
  drop(): Promise<void>;
}

function databaseUrl(name: string): string {
  const url = new URL(BENCH_DATABASE_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

async function maintenance(statement: string): Promise<void> {
  const client = postgres(BENCH_DATABASE_URL, { max: 1, onnotice: () => {} });
  try {
    await client.unsafe(statement);
  } finally {
    await client.end({ timeout: 5 });
  }
}

/** A fresh database for this run, migrated with Parley's own migration code. */
export async function createBenchDatabase(): Promise<BenchDatabase> {
  const name = `parley_bench_${process.pid}_${Date.now().toString(36)}`;
  await maintenance(`create database ${name}`);
  const url = databaseUrl(name);
  try {
    const handle = openPostgres(url, { max: 1 });
    try {
      await migrateDatabase(handle);
    } finally {
      await handle.close();
    }
  } catch (error) {
    await maintenance(`drop database if exists ${name} with (force)`);
    throw error;
  }
  const sql = postgres(url, { max: 20, onnotice: () => {} });
  return {
    name,
    url,
    sql,
    drop: async () => {
      await sql.end({ timeout: 5 });
      // Kept on request, to read its plans with EXPLAIN after the run.
      if (BENCH_KEEP_DATABASE) {
        console.log(`[bench] kept database ${name}`);
        return;
      }
      await maintenance(`drop database if exists ${name} with (force)`);
    },
  };
}
