import "server-only";

import { sql } from "drizzle-orm";
import type { z } from "zod";
import {
  healthStatementsSchema,
  type ConnectionState,
  type DatabaseHealth,
  type HealthOverview,
  type HealthQueue,
  type HealthStatements,
  type HealthTrend,
  type IndexHealth,
  type QueueHealth,
  type RealtimeHealth,
  type TableHealth,
  type healthIndexesInput,
  type healthStatementsInput,
  type healthTablesInput,
} from "@/contracts/admin-health";
import { queryRows, toDate } from "@/db/rows";
import type { Tx } from "@/db/types";
import { pendingAudit } from "@/server/audit/buffer";
import { env } from "@/server/env";
import {
  healthSamples,
  healthSources,
  recordHealthSample,
  sampleOf,
  SAMPLE_EVERY_MS,
} from "@/server/health/samples";

/*
 * Every figure here comes through the admin_health_* functions (drizzle/0053), which refuse
 * anyone but a site admin with 42501 whatever the router checked first. Sizes and counters are
 * bigint in Postgres: they are read as float8, which postgres.js and PGlite both hand back as
 * numbers (a bigint would be text on one and a number on the other).
 */

type Timestamp = Date | string | null;

async function connections(tx: Tx): Promise<ConnectionState[]> {
  return queryRows<ConnectionState>(
    tx,
    sql`select c.state, c.connections, c."longestTransactionSeconds", c."waitingOnLocks"
        from public.admin_health_connections() c`,
  );
}

async function database(tx: Tx): Promise<DatabaseHealth> {
  const [row] = await queryRows<Omit<DatabaseHealth, "statsResetAt"> & { statsResetAt: Timestamp }>(
    tx,
    sql`select d."databaseBytes"::float8 as "databaseBytes", d."maxConnections",
          d."blocksHit"::float8 as "blocksHit", d."blocksRead"::float8 as "blocksRead",
          d."cacheHitRatio", d."transactionsCommitted"::float8 as "transactionsCommitted",
          d."transactionsRolledBack"::float8 as "transactionsRolledBack",
          d.deadlocks::float8 as deadlocks, d."tempBytes"::float8 as "tempBytes",
          d."statsResetAt", d."serverVersion", d.embedded
        from public.admin_health_database() d`,
  );
  if (!row) throw new Error("pg_stat_database has no row for this database");
  return { ...row, statsResetAt: toDate(row.statsResetAt) };
}

async function queues(tx: Tx): Promise<QueueHealth[]> {
  const rows = await queryRows<
    Omit<QueueHealth, "oldestPendingAt" | "queue"> & {
      queue: HealthQueue;
      oldestPendingAt: Timestamp;
    }
  >(
    tx,
    sql`select q.queue, q.pending, q.retrying, q."failedLastDay", q."setAside", q."oldestPendingAt"
        from public.admin_health_queues() q`,
  );
  const auditPending = healthSources().auditPending ?? pendingAudit;
  return rows.map((row) => ({
    ...row,
    pending: row.queue === "audit" ? auditPending() : row.pending,
    oldestPendingAt: toDate(row.oldestPendingAt),
  }));
}

function realtime(): RealtimeHealth {
  const gateway = healthSources().gateway;
  if (gateway) return { source: "gateway", ...gateway() };
  return { source: env.supabase ? "supabase" : "none" };
}

function queuedJobs(rows: readonly QueueHealth[]): number {
  return rows.reduce((n, q) => n + (q.queue === "audit" ? 0 : (q.pending ?? 0)), 0);
}

/**
 * Connections and queues as an admin reads them, adding a trend sample when the newest is a
 * minute old, so the trend starts with the first look even where no sampler runs.
 */
async function readAndSample(tx: Tx, at: Date) {
  const byState = await connections(tx);
  const queueRows = await queues(tx);
  recordHealthSample(
    sampleOf(at, byState, queuedJobs(queueRows), healthSources()),
    SAMPLE_EVERY_MS,
  );
  return { byState, queueRows };
}

/** The page's figures at a glance: the database, its connections, the queues and realtime. */
export async function healthOverview(tx: Tx, params: { now?: Date } = {}): Promise<HealthOverview> {
  const checkedAt = params.now ?? new Date();
  const db = await database(tx);
  const { byState, queueRows } = await readAndSample(tx, checkedAt);
  return { checkedAt, database: db, connections: byState, queues: queueRows, realtime: realtime() };
}

/** The samples kept in this process, after adding one now if the newest is a minute old. */
export async function healthTrend(tx: Tx, params: { now?: Date } = {}): Promise<HealthTrend> {
  await readAndSample(tx, params.now ?? new Date());
  return { everySeconds: SAMPLE_EVERY_MS / 1000, samples: healthSamples() };
}

type TableRow = Omit<
  TableHealth,
  "lastVacuum" | "lastAutovacuum" | "lastAnalyze" | "lastAutoanalyze"
> & {
  lastVacuum: Timestamp;
  lastAutovacuum: Timestamp;
  lastAnalyze: Timestamp;
  lastAutoanalyze: Timestamp;
};

/** The largest tables with their dead rows and vacuum times. */
export async function healthTables(
  tx: Tx,
  params: z.output<typeof healthTablesInput>,
): Promise<TableHealth[]> {
  const rows = await queryRows<TableRow>(
    tx,
    sql`select t.schema, t.name, t."totalBytes"::float8 as "totalBytes",
          t."tableBytes"::float8 as "tableBytes", t."indexBytes"::float8 as "indexBytes",
          t."liveRows"::float8 as "liveRows", t."deadRows"::float8 as "deadRows",
          t."lastVacuum", t."lastAutovacuum", t."lastAnalyze", t."lastAutoanalyze"
        from public.admin_health_tables(${params.limit}::int) t`,
  );
  return rows.map((row) => ({
    ...row,
    lastVacuum: toDate(row.lastVacuum),
    lastAutovacuum: toDate(row.lastAutovacuum),
    lastAnalyze: toDate(row.lastAnalyze),
    lastAutoanalyze: toDate(row.lastAutoanalyze),
  }));
}

/** The largest indexes with their scans, or only those never used. */
export async function healthIndexes(
  tx: Tx,
  params: z.output<typeof healthIndexesInput>,
): Promise<IndexHealth[]> {
  return queryRows<IndexHealth>(
    tx,
    sql`select i.schema, i."table", i.name, i.scans::float8 as scans, i.bytes::float8 as bytes,
          i."unique", i.unused
        from public.admin_health_indexes(${params.limit}::int, ${params.unusedOnly}::boolean) i`,
  );
}

/** The slowest statements from pg_stat_statements, or why there are none to show. */
export async function healthStatements(
  tx: Tx,
  params: z.output<typeof healthStatementsInput>,
): Promise<HealthStatements> {
  const [row] = await queryRows<{ result: unknown }>(
    tx,
    sql`select public.admin_health_statements(${params.order}::text, ${params.limit}::int) as result`,
  );
  const result =
    typeof row?.result === "string" ? (JSON.parse(row.result) as unknown) : row?.result;
  return healthStatementsSchema.parse(result);
}
