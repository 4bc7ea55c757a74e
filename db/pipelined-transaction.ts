import "server-only";

import type { Sql } from "postgres";

/** The statement a transaction must run first, as text with bound parameters. */
export interface TransactionSetup {
  text: string;
  params: string[];
}

/**
 * A setup handed from `startWithSetup` to the `begin` it calls. `applied` turns true once the
 * setup is queued on the transaction's connection, ahead of anything else.
 */
export interface SetupSlot {
  readonly setup: TransactionSetup;
  applied: boolean;
}

let handedOver: SetupSlot | undefined;

/**
 * Relies on an internal of drizzle-orm (pinned in package.json): `PostgresJsSession.transaction`
 * calls postgres.js's `begin` synchronously, with the callback alone (db/driver-contracts.test.ts).
 *
 * Calls `start`, which must call the client's `begin` before it returns (Drizzle's
 * `transaction()` does: it calls postgres.js's `begin` synchronously), with `setup` handed to
 * that `begin`. Whatever happens, the setup is never left for another transaction to take:
 * the slot is emptied when `start` returns. The transaction's callback must check
 * `slot.applied` and refuse to run otherwise, so a `begin` that did not take the setup fails
 * closed instead of running without it.
 */
export function startWithSetup<T>(
  setup: TransactionSetup,
  start: (slot: SetupSlot) => Promise<T>,
): Promise<T> {
  const slot: SetupSlot = { setup, applied: false };
  handedOver = slot;
  try {
    return start(slot);
  } finally {
    handedOver = undefined;
  }
}

type Callback = (sql: Sql) => unknown;
type Begin = (...args: unknown[]) => Promise<unknown>;

/**
 * Makes `sql.begin` run a transaction that was handed a setup as a pipeline: BEGIN, the
 * setup and the callback's first statement leave together, instead of BEGIN and the setup
 * each waiting for its own round trip. `wrap` prepares each transaction's client as the
 * client itself is prepared. A `begin` without a setup (or with options) is postgres.js's own.
 *
 * Order is what makes this safe: BEGIN and the setup are queued on the reserved connection
 * synchronously, before the callback exists, and postgres.js sends a connection's statements
 * in the order they were queued. So every statement of the callback runs inside the
 * transaction and after the setup; if the setup fails, Postgres refuses the rest of the
 * transaction. The transaction ends (COMMIT, or ROLLBACK on any failure) only once the
 * callback and every statement queued before it have settled.
 */
export function pipelineTransactions<T extends Sql>(sql: T, wrap: (client: Sql) => Sql): T {
  const client = sql as unknown as { begin: Begin };
  const begin = client.begin.bind(sql);
  client.begin = (...args: unknown[]) => {
    const slot = handedOver;
    handedOver = undefined;
    if (!slot || args.length !== 1) return begin(...args);
    return pipelined(sql, slot, args[0] as Callback, wrap);
  };
  return sql;
}

async function pipelined(
  client: Sql,
  slot: SetupSlot,
  callback: Callback,
  wrap: (client: Sql) => Sql,
): Promise<unknown> {
  const reserved = await client.reserve();
  try {
    const sql = withSavepoints(wrap(reserved));
    const began = sql.unsafe("begin").execute();
    const configured = sql.unsafe(slot.setup.text, slot.setup.params).execute();
    slot.applied = true;
    // A callback that throws at once becomes a rejection like any other failure.
    const work = Promise.resolve().then(() => callback(sql));
    const settled = await Promise.allSettled([began, configured, work]);
    const failed = settled.find((result) => result.status === "rejected");
    if (failed) {
      // The connection may be gone: the error to report is the one that ended the work.
      await sql.unsafe("rollback").catch(() => undefined);
      throw failed.reason;
    }
    await sql.unsafe("commit");
    return (settled[2] as PromiseFulfilledResult<unknown>).value;
  } finally {
    reserved.release();
  }
}

/** Nested transactions on the reserved connection, as postgres.js's `savepoint` has them. */
function withSavepoints(sql: Sql): Sql {
  let count = 0;
  const client = sql as unknown as { savepoint: (fn: Callback) => Promise<unknown> };
  client.savepoint = async (fn) => {
    const name = `s${count++}`;
    await sql.unsafe(`savepoint ${name}`);
    try {
      const result = await fn(sql);
      await sql.unsafe(`release savepoint ${name}`);
      return result;
    } catch (error) {
      await sql.unsafe(`rollback to savepoint ${name}`);
      throw error;
    }
  };
  return sql;
}
