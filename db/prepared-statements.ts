import "server-only";

import type { Sql } from "postgres";

/**
 * How many distinct statement texts one process prepares. Parley's statements come from code,
 * so their texts are few (a few hundred, counting the lengths of `IN (…)` lists); the cap only
 * bounds what each connection keeps should that ever change. A text beyond it still runs,
 * unprepared.
 */
export const MAX_PREPARED_TEXTS = 2_000;

type Unsafe = Sql["unsafe"];
type Scoped = (...args: unknown[]) => Promise<unknown>;

/**
 * Relies on internals of postgres.js (pinned in package.json): `unsafe` takes `prepare` per
 * call in its options, and `begin`/`savepoint` are plain methods of the client that can be
 * replaced (db/driver-contracts.test.ts).
 *
 * Sets up a postgres.js client for Drizzle so that every statement with parameters runs as a
 * named prepared statement: one round trip instead of two. Returns the same client, changed
 * in place, and does the same to every transaction and savepoint client it hands out.
 *
 * Drizzle sends everything through `unsafe()`, which postgres.js never prepares unless told
 * to per call, and Drizzle tells it only for `.prepare(name)`. Unprepared, a statement with
 * parameters costs a round trip to describe it and another to execute it; prepared, later
 * executions on the connection skip the first. The client's own `prepare: false` (behind a
 * transaction-mode pooler) still wins over this.
 *
 * Correctness does not depend on a cached plan: Postgres re-plans when a table changes, and a
 * statement prepared under one role is rewritten again for another, so row-level security
 * always applies the policies of the role that executes it.
 */
export function preparingStatements<T extends Sql>(sql: T, texts: Set<string> = new Set()): T {
  const prepare = (query: string): boolean => {
    if (texts.has(query)) return true;
    if (texts.size >= MAX_PREPARED_TEXTS) return false;
    texts.add(query);
    return true;
  };
  const unsafe: Unsafe = sql.unsafe.bind(sql);
  sql.unsafe = ((query: string, params?: unknown[], options?: Parameters<Unsafe>[2]) =>
    params && params.length > 0
      ? unsafe(query, params as Parameters<Unsafe>[1], { ...options, prepare: prepare(query) })
      : unsafe(query, params as Parameters<Unsafe>[1], options)) as Unsafe;

  // The callback is always the last argument (`begin(options?, fn)`, `savepoint(name?, fn)`).
  const scoped = (run: Scoped): Scoped =>
    function (...args) {
      const callback = args.pop() as (inner: Sql) => unknown;
      return run(...args, (inner: Sql) => callback(preparingStatements(inner, texts)));
    };
  const client = sql as unknown as Record<"begin" | "savepoint", Scoped | undefined>;
  for (const method of ["begin", "savepoint"] as const) {
    const original = client[method];
    // Only the root client has `begin`; only transaction clients have `savepoint`.
    if (typeof original === "function") client[method] = scoped(original.bind(sql));
  }
  return sql;
}
