import "server-only";

import fs from "node:fs";
import path from "node:path";
import { PGlite, type Extensions } from "@electric-sql/pglite";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import type { SQL } from "drizzle-orm";
import { PgDialect } from "drizzle-orm/pg-core";
import postgres, { type Sql } from "postgres";
import { pipelineTransactions, startWithSetup } from "./pipelined-transaction";
import { preparingStatements } from "./prepared-statements";
import * as schema from "./schema";

import type { Database, Tx } from "./types";

export type { Database, Schema, Tx } from "./types";

export type Driver = "pglite" | "postgres";

export interface DatabaseHandle {
  db: Database;
  driver: Driver;
  /** The connection string for server Postgres (perhaps a pooler's); undefined on PGlite. */
  url: string | undefined;
  /**
   * A connection string that reaches Postgres itself, for what a transaction-mode pooler does
   * not carry: LISTEN and migrations. The same as `url` unless a direct URL was given.
   */
  directUrl: string | undefined;
  /** The PGlite instance on embedded databases, for work that needs its single connection. */
  pglite: PGlite | undefined;
  /**
   * LISTEN on a channel (a dedicated connection on server Postgres, the one connection on
   * PGlite). Resolves once listening; the returned function stops.
   */
  listen(channel: string, onPayload: (payload: string) => void): Promise<() => Promise<void>>;
  /**
   * Runs `fn` in a transaction that first runs `setup` (a single statement). On server
   * Postgres, BEGIN and the setup travel with the transaction's first statement instead of
   * taking a round trip each (pipelined-transaction.ts).
   */
  transaction<T>(setup: SQL, fn: (tx: Tx) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

const dialect = new PgDialect();

/**
 * Embedded Postgres. `dataDir` undefined keeps the database in memory (tests); `extensions`
 * are PGlite's own builds of Postgres extensions to load.
 */
export function openPglite(dataDir?: string, extensions?: Extensions): DatabaseHandle {
  if (dataDir) fs.mkdirSync(path.dirname(dataDir), { recursive: true });
  const client = new PGlite({
    ...(dataDir ? { dataDir } : {}),
    ...(extensions ? { extensions } : {}),
  });
  const db = drizzlePglite(client, { schema });
  return {
    db,
    driver: "pglite",
    url: undefined,
    directUrl: undefined,
    pglite: client,
    listen: async (channel, onPayload) => client.listen(channel, onPayload),
    transaction: (setup, fn) =>
      db.transaction(async (tx) => {
        await tx.execute(setup);
        return fn(tx);
      }),
    close: () => client.close(),
  };
}

export interface PostgresOptions {
  /** Behind PgBouncer/Supavisor in transaction mode, prepared statements must be off. */
  pooler?: boolean;
  /**
   * Postgres itself, when `url` is a transaction-mode pooler's: LISTEN goes there, since the
   * pooler hands a listening session's connection to others and its notifications are lost.
   */
  directUrl?: string;
  max?: number;
  /** Seconds before an unused connection is closed; 0 keeps connections open. */
  idleTimeoutSeconds?: number;
  /** Seconds to wait for a connection to open before the query fails. */
  connectTimeoutSeconds?: number;
  /** Milliseconds a statement may run before Postgres cancels it; 0 or unset sets no limit. */
  statementTimeoutMs?: number;
}

/**
 * Seconds a pool connection waits before connecting again after its connection failed:
 * postgres.js's own curve (3× per failure, with jitter), stopped at one second rather than
 * twenty. postgres.js counts failures for the whole pool, not per connection, so a restart
 * that closed every connection at once made requests wait up to 20 s on a database that was
 * back within a second.
 */
export function reconnectDelaySeconds(failures: number): number {
  return (0.5 + Math.random() / 2) * Math.min(3 ** failures / 100, 1);
}

export function openPostgres(url: string, options: PostgresOptions = {}): DatabaseHandle {
  const client = postgres(url, {
    max: options.max ?? 10,
    prepare: !options.pooler,
    onnotice: () => {},
    idle_timeout: options.idleTimeoutSeconds || undefined,
    connect_timeout: options.connectTimeoutSeconds ?? 30,
    connection: {
      application_name: "parley",
      // A startup parameter: it holds for every statement on the connection, the owner's
      // jobs included, at no cost per query.
      ...(options.statementTimeoutMs ? { statement_timeout: options.statementTimeoutMs } : {}),
    },
    backoff: reconnectDelaySeconds,
  });
  // One set of prepared texts for the pool and every transaction's connection.
  const texts = new Set<string>();
  const prepare = (sql: Sql) => preparingStatements(sql, texts);
  const db = drizzlePostgres(pipelineTransactions(prepare(client), prepare), { schema });
  // postgres.js gives LISTEN a connection of its own beside the pool; on a direct URL that
  // connection comes from a client of its own, which holds nothing else.
  const listener = options.directUrl
    ? postgres(options.directUrl, {
        max: 1,
        onnotice: () => {},
        connect_timeout: options.connectTimeoutSeconds ?? 30,
        connection: { application_name: "parley listen" },
        backoff: reconnectDelaySeconds,
      })
    : client;
  return {
    db,
    driver: "postgres",
    url,
    directUrl: options.directUrl ?? url,
    pglite: undefined,
    transaction: (setup, fn) => {
      const { sql: text, params } = dialect.sqlToQuery(setup);
      return startWithSetup({ text, params: params as string[] }, (slot) =>
        db.transaction(async (tx) => {
          // Never run the work without its setup: fail closed should `begin` not have taken it.
          if (!slot.applied) throw new Error("the transaction began without its setup statement");
          return fn(tx);
        }),
      );
    },
    listen: async (channel, onPayload) => {
      const listening = await listener.listen(channel, onPayload);
      return () => listening.unlisten();
    },
    close: async () => {
      await Promise.all([
        client.end({ timeout: 5 }),
        listener === client ? undefined : listener.end({ timeout: 5 }),
      ]);
    },
  };
}

/**
 * The process's database handle is the one value Parley keeps on `globalThis`. Next renders
 * server components from its own bundle of Parley's modules, so this module is loaded twice in
 * one process — once by `server/main.ts`, once inside Next — and both copies must reach the
 * same handle: PGlite is a single connection to its data directory (a second instance would
 * corrupt it), and a second postgres.js pool would double the connections. Everything else a
 * server component touches is safe to have twice (`readOnlyWhileRendering` keeps rendering
 * from writing), and lives in its module.
 */
const HANDLE = Symbol.for("parley.database");
type GlobalWithHandle = typeof globalThis & { [HANDLE]?: DatabaseHandle };
const store = globalThis as GlobalWithHandle;

/** The process's database handle, installed by the entry point (server/database.ts, tests). */
export function getDatabase(): DatabaseHandle {
  const handle = store[HANDLE];
  if (!handle) {
    throw new Error("No database is open: the entry point opens one (openConfiguredDatabase)");
  }
  return handle;
}

/** Installs a handle as the process's one (the entry point, scripts, the test harness). */
export function setDatabase(handle: DatabaseHandle): DatabaseHandle {
  store[HANDLE] = handle;
  return handle;
}

/** The owner connection. Request code never uses it: it goes through `withRls`. */
export function getDb(): Database {
  return getDatabase().db;
}

export async function closeDatabase(): Promise<void> {
  const handle = store[HANDLE];
  if (!handle) return;
  delete store[HANDLE];
  await handle.close();
}
