import { z } from "zod";

/**
 * The work queues /admin/health reports on. `audit` lives in the server's memory; the others
 * are tables (drizzle/0053_admin_health.sql names them the same).
 */
export const HEALTH_QUEUES = [
  "audit",
  "storage_deletions",
  "notifications",
  "push",
  "webhooks",
  "link_previews",
  "data_exports",
  "account_deletions",
] as const;
export type HealthQueue = (typeof HEALTH_QUEUES)[number];

/** How many rows the tables, indexes and statements lists show unless asked otherwise. */
export const HEALTH_LIST_LIMIT = 15;

const limit = z.number().int().min(1).max(100).default(HEALTH_LIST_LIMIT);

export const healthTablesInput = z.object({ limit }).strict().default({ limit: HEALTH_LIST_LIMIT });

export const healthIndexesInput = z
  .object({ limit, unusedOnly: z.boolean().default(false) })
  .strict()
  .default({ limit: HEALTH_LIST_LIMIT, unusedOnly: false });
export type HealthIndexesInput = z.input<typeof healthIndexesInput>;

export const STATEMENT_ORDERS = ["total", "mean"] as const;
export type StatementOrder = (typeof STATEMENT_ORDERS)[number];

export const healthStatementsInput = z
  .object({ order: z.enum(STATEMENT_ORDERS).default("total"), limit })
  .strict()
  .default({ order: "total", limit: HEALTH_LIST_LIMIT });
export type HealthStatementsInput = z.input<typeof healthStatementsInput>;

const count = z.number().int().min(0);

export const connectionStateSchema = z.object({
  /** pg_stat_activity's state: active, idle, idle in transaction, ... */
  state: z.string(),
  connections: count,
  /** Age of the oldest open transaction among them; null when none is in a transaction. */
  longestTransactionSeconds: z.number().min(0).nullable(),
  waitingOnLocks: count,
});
export type ConnectionState = z.infer<typeof connectionStateSchema>;

export const databaseHealthSchema = z.object({
  databaseBytes: z.number().min(0),
  maxConnections: z.number().int().min(0),
  blocksHit: z.number().min(0),
  blocksRead: z.number().min(0),
  /** Share of block reads served from shared buffers; null before anything was read. */
  cacheHitRatio: z.number().min(0).max(1).nullable(),
  transactionsCommitted: z.number().min(0),
  transactionsRolledBack: z.number().min(0),
  deadlocks: z.number().min(0),
  tempBytes: z.number().min(0),
  /** When the counters above started; null when they never were reset. */
  statsResetAt: z.date().nullable(),
  serverVersion: z.string(),
  /** The embedded database (PGlite): one connection, no autovacuum, no pg_stat_statements loaded. */
  embedded: z.boolean(),
});
export type DatabaseHealth = z.infer<typeof databaseHealthSchema>;

export const queueHealthSchema = z.object({
  queue: z.enum(HEALTH_QUEUES),
  /** Still to be done; null when this server cannot see the queue (another process's audit buffer). */
  pending: count.nullable(),
  /** Of those, tried before and waiting for another attempt; null where there is no retry. */
  retrying: count.nullable(),
  /** Given up on in the last 24 hours, where the queue keeps failures. */
  failedLastDay: count.nullable(),
  /** Waiting in dead_letters for a person, where the queue sets work aside. */
  setAside: count.nullable(),
  oldestPendingAt: z.date().nullable(),
});
export type QueueHealth = z.infer<typeof queueHealthSchema>;

export const realtimeHealthSchema = z.discriminatedUnion("source", [
  /** Parley's own gateway in this process. */
  z.object({
    source: z.literal("gateway"),
    connections: count,
    channels: count,
    topics: count,
  }),
  /** Hosted Supabase Realtime: its figures are on Supabase's dashboard. */
  z.object({ source: z.literal("supabase") }),
  /** No gateway runs in the process that answered (a script, a test). */
  z.object({ source: z.literal("none") }),
]);
export type RealtimeHealth = z.infer<typeof realtimeHealthSchema>;

export const healthOverviewSchema = z.object({
  checkedAt: z.date(),
  database: databaseHealthSchema,
  connections: z.array(connectionStateSchema),
  queues: z.array(queueHealthSchema),
  realtime: realtimeHealthSchema,
});
export type HealthOverview = z.infer<typeof healthOverviewSchema>;

export const tableHealthSchema = z.object({
  schema: z.string(),
  name: z.string(),
  totalBytes: z.number().min(0),
  tableBytes: z.number().min(0),
  indexBytes: z.number().min(0),
  liveRows: z.number().min(0),
  deadRows: z.number().min(0),
  lastVacuum: z.date().nullable(),
  lastAutovacuum: z.date().nullable(),
  lastAnalyze: z.date().nullable(),
  lastAutoanalyze: z.date().nullable(),
});
export type TableHealth = z.infer<typeof tableHealthSchema>;

export const indexHealthSchema = z.object({
  schema: z.string(),
  table: z.string(),
  name: z.string(),
  scans: z.number().min(0),
  bytes: z.number().min(0),
  /** Enforces a unique or primary key: never a candidate to drop. */
  unique: z.boolean(),
  /** Never scanned since the statistics were reset, and not unique. */
  unused: z.boolean(),
});
export type IndexHealth = z.infer<typeof indexHealthSchema>;

export const STATEMENTS_STATUSES = ["ok", "not_installed", "not_loaded", "unavailable"] as const;

export const statementHealthSchema = z.object({
  /** Normalized by pg_stat_statements: constants are $1, $2... */
  query: z.string(),
  calls: z.number().min(0),
  totalMs: z.number().min(0),
  meanMs: z.number().min(0),
  rows: z.number().min(0),
  cacheHitRatio: z.number().min(0).max(1).nullable(),
});
export type StatementHealth = z.infer<typeof statementHealthSchema>;

export const healthStatementsSchema = z.object({
  /**
   * ok; not_installed: the server has the extension but nobody created it; not_loaded: created
   * but missing from shared_preload_libraries; unavailable: this server has no such extension.
   */
  status: z.enum(STATEMENTS_STATUSES),
  statements: z.array(statementHealthSchema),
});
export type HealthStatements = z.infer<typeof healthStatementsSchema>;

export const healthSampleSchema = z.object({
  at: z.date(),
  active: count,
  idle: count,
  idleInTransaction: count,
  /** Null where no gateway runs in this process. */
  realtimeConnections: count.nullable(),
  realtimeChannels: count.nullable(),
  /** Work waiting in the queue tables, all queues together. */
  queuedJobs: count,
  /** Audit rows waiting in memory; null where this process cannot see the buffer. */
  auditPending: count.nullable(),
});
export type HealthSample = z.infer<typeof healthSampleSchema>;

export const healthTrendSchema = z.object({
  /** How often a sample is taken, in seconds. */
  everySeconds: z.number().int().min(1),
  /** Oldest first. */
  samples: z.array(healthSampleSchema),
});
export type HealthTrend = z.infer<typeof healthTrendSchema>;
