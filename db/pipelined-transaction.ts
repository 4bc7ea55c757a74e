import "server-only";

import type { Sql } from "postgres";
import { isConnectionError, watchConnection } from "./connection-loss";

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
/** `unsafe`'s options with the one its declarations leave out (db/connection-loss.ts). */
type UnsafeOptions = NonNullable<Parameters<Sql["unsafe"]>[2]>;
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

/**
 * How often a transaction whose connection turned out to be gone before BEGIN was answered is
 * tried on another. Nothing of such an attempt can have taken effect: COMMIT is only sent once
 * the work has settled, and Postgres rolls back what a lost connection left open.
 */
const ATTEMPTS = 3;

async function pipelined(
  client: Sql,
  slot: SetupSlot,
  callback: Callback,
  wrap: (client: Sql) => Sql,
): Promise<unknown> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await attemptTransaction(client, slot, callback, wrap);
    } catch (error) {
      if (!(error instanceof NeverBegan)) throw error;
      if (attempt >= ATTEMPTS) throw error.cause;
    }
  }
}

/** A transaction that failed for a connection reason before its BEGIN was answered. */
class NeverBegan extends Error {
  constructor(override readonly cause: unknown) {
    super("the transaction's connection was gone before it began", { cause });
  }
}

async function attemptTransaction(
  client: Sql,
  slot: SetupSlot,
  callback: Callback,
  wrap: (client: Sql) => Sql,
): Promise<unknown> {
  const reserved = await client.reserve().catch((error: unknown) => {
    // postgres.js hands a reservation the error of a connection lost while opening for it.
    throw isConnectionError(error) ? new NeverBegan(error) : error;
  });
  const connection = watchConnection();
  let begun = false;
  try {
    const sql = withSavepoints(connection.guard(wrap(reserved)));
    const began = sql
      .unsafe("begin", [], { onexecute: connection.onexecute } as UnsafeOptions)
      .execute();
    began.then(() => (begun = true)).catch(() => undefined);
    const configured = sql.unsafe(slot.setup.text, slot.setup.params).execute();
    slot.applied = true;
    // A callback that throws at once becomes a rejection like any other failure.
    const work = Promise.resolve().then(() => callback(sql));
    // A lost connection ends the wait: statements queued behind a dead socket never settle.
    const settled = await Promise.race([
      Promise.allSettled([began, configured, work]),
      connection.whenLost,
    ]);
    const failed = settled.find((result) => result.status === "rejected");
    if (!failed && !connection.attached) {
      // Without its connection the transaction could not have told a lost one: undo it.
      await sql.unsafe("rollback").catch(() => undefined);
      throw new Error("postgres.js did not report the transaction's connection");
    }
    if (failed) {
      // The connection may be going: the error to report is the one that ended the work, and
      // a ROLLBACK queued behind a socket that then closes is never answered.
      await Promise.race([sql.unsafe("rollback"), connection.whenLost]).catch(() => undefined);
      throw failed.reason;
    }
    await Promise.race([sql.unsafe("commit"), connection.whenLost]);
    return (settled[2] as PromiseFulfilledResult<unknown>).value;
  } catch (error) {
    throw !begun && isConnectionError(error) ? new NeverBegan(error) : error;
  } finally {
    connection.detach();
    // A lost connection is already back in the pool, closed; releasing it would list it idle.
    if (!connection.lost) reserved.release();
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
