import { sql as drizzleSql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/postgres-js";
import type { Sql } from "postgres";
import { openAfterCommit } from "@/db/after-commit";
import * as schema from "@/db/schema";
import type { Database, Tx } from "@/db/types";
import { BENCH_WORKSPACE_ID } from "./users";

export interface Statement {
  query: string;
  params: unknown[];
}

class Rollback extends Error {}

/**
 * The statements a service function sends for one request, captured by running the product's
 * own code in a transaction set up as `withRls` sets it up, then rolled back. Reference runs
 * replay or EXPLAIN exactly these, so they never drift from what the product does.
 */
export async function captureStatements(
  client: Sql,
  userId: string,
  fn: (tx: Tx) => Promise<unknown>,
): Promise<{ statements: Statement[]; result: unknown }> {
  const statements: Statement[] = [];
  let recording = false;
  const db: Database = drizzle(client, {
    schema,
    logger: {
      logQuery(query, params) {
        if (recording) statements.push({ query, params });
      },
    },
  });
  let result: unknown;
  try {
    await db.transaction(async (tx) => {
      openAfterCommit(tx);
      await tx.execute(
        drizzleSql`select set_config('app.user_id', ${userId}, true), set_config('app.org_id', ${BENCH_WORKSPACE_ID}, true), set_config('role', 'authenticated', true)`,
      );
      recording = true;
      result = await fn(tx);
      recording = false;
      throw new Rollback();
    });
  } catch (error) {
    if (!(error instanceof Rollback)) throw error;
  }
  return { statements, result };
}

/** How a statement's parameters go to postgres.js (`unsafe` takes the same values drizzle sends). */
export function parameters(statement: Statement): never[] {
  return statement.params as never[];
}

export interface ExplainFigures {
  executionMs: number;
  planningMs: number;
  sharedHit: number;
  sharedRead: number;
  /** Time spent compiling with JIT (0 when the planner did not use it). */
  jitMs: number;
  plan: unknown;
}

interface ExplainJson {
  Plan: { "Shared Hit Blocks"?: number; "Shared Read Blocks"?: number };
  "Planning Time": number;
  "Execution Time": number;
  JIT?: { Timing?: { Total?: number } };
}

/**
 * EXPLAIN ANALYZE of one statement inside a transaction set up like a request (`asUser`:
 * as `authenticated` with RLS; otherwise as the owner, RLS off, with the same user id set).
 */
export async function explain(
  client: Sql,
  statement: Statement,
  options: {
    userId: string;
    asUser: boolean;
    timing: boolean;
    /** SQL run as the owner first, inside the transaction (rolled back with it). */
    setup?: string;
    /** Run the statement once first in the same transaction, and time the second run. */
    warm?: boolean;
  },
): Promise<ExplainFigures> {
  const flags = options.timing
    ? "ANALYZE, BUFFERS, FORMAT JSON"
    : "ANALYZE, TIMING OFF, BUFFERS, FORMAT JSON";
  let figures: ExplainFigures | undefined;
  try {
    await client.begin(async (tx) => {
      await tx`select set_config('app.user_id', ${options.userId}, true), set_config('app.org_id', ${BENCH_WORKSPACE_ID}, true)`;
      if (options.setup) await tx.unsafe(options.setup);
      if (options.asUser) await tx`select set_config('role', 'authenticated', true)`;
      if (options.warm)
        await tx.unsafe(`EXPLAIN (${flags}) ${statement.query}`, parameters(statement));
      const rows = await tx.unsafe<{ "QUERY PLAN": ExplainJson[] }[]>(
        `EXPLAIN (${flags}) ${statement.query}`,
        parameters(statement),
      );
      const plan = rows[0]?.["QUERY PLAN"][0];
      if (!plan) throw new Error("EXPLAIN returned no plan");
      figures = {
        executionMs: plan["Execution Time"],
        planningMs: plan["Planning Time"],
        sharedHit: plan.Plan["Shared Hit Blocks"] ?? 0,
        sharedRead: plan.Plan["Shared Read Blocks"] ?? 0,
        jitMs: plan.JIT?.Timing?.Total ?? 0,
        plan,
      };
      // EXPLAIN ANALYZE runs the statement: undo whatever it wrote.
      throw new Rollback();
    });
  } catch (error) {
    if (!(error instanceof Rollback)) throw error;
  }
  if (!figures) throw new Error("EXPLAIN produced nothing");
  return figures;
}
