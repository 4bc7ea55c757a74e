import "server-only";

import type { Sql } from "postgres";

/**
 * The part of a postgres.js pool connection a reserved transaction watches. Relies on
 * internals of postgres.js (pinned in package.json; db/lost-connection.test.ts fails without them): `unsafe`
 * takes an `onexecute` option called with the connection its statement was written to (its
 * own `begin` learns its connection the same way), and the pool calls `connection.onclose`
 * once when the socket closes.
 */
interface PoolConnection {
  onclose: ((error: Error) => void) | null;
}

/** A connection error of the kind postgres.js raises when a socket is gone. */
export class ConnectionLostError extends Error {
  override readonly name = "ConnectionLostError";
  readonly code = "CONNECTION_LOST";
  constructor(cause: unknown) {
    super("The database connection was lost during the transaction", { cause });
  }
}

/**
 * Watches the connection a reserved transaction runs on. When its socket closes, statements
 * of the transaction still queued behind it are never answered; and once the pool connects
 * that connection again for someone else, a statement the transaction still starts would run
 * on the new session, outside the transaction and without its role. So once the connection is
 * lost, the transaction stops waiting, its client refuses every further statement, and the
 * caller neither ends the transaction nor releases the connection (the pool already took it
 * back, closed).
 */
export function watchConnection() {
  let connection: PoolConnection | undefined;
  let lost: ConnectionLostError | undefined;
  let reject: (error: Error) => void = () => {};
  const whenLost = new Promise<never>((_, fail) => (reject = fail));
  // Awaited only while a transaction is open; a loss after that has nobody to tell.
  whenLost.catch(() => undefined);

  const onclose = (error: Error) => {
    lost = new ConnectionLostError(error);
    reject(lost);
  };

  return {
    /** The `onexecute` option for the transaction's first statement. */
    onexecute: (c: PoolConnection): boolean => {
      connection = c;
      c.onclose = onclose;
      // True: the connection may take the next statement at once (pipelining goes on).
      return true;
    },
    get attached(): boolean {
      return connection !== undefined;
    },
    get lost(): ConnectionLostError | undefined {
      return lost;
    },
    /** Rejects once the connection is lost. */
    whenLost,
    /** Stops watching (before the connection goes back to the pool for others). */
    detach(): void {
      if (connection?.onclose === onclose) connection.onclose = null;
    },
    /**
     * Makes `sql` refuse every statement once the connection is lost. Drizzle sends
     * everything through `unsafe` and reads the result as a promise or through `.values()`.
     */
    guard<T extends Sql>(sql: T): T {
      const unsafe = sql.unsafe.bind(sql);
      sql.unsafe = ((...args: Parameters<Sql["unsafe"]>) =>
        lost ? refused(lost) : unsafe(...args)) as Sql["unsafe"];
      return sql;
    },
  };
}

export type ConnectionWatch = ReturnType<typeof watchConnection>;

/**
 * SQLSTATEs and postgres.js codes that say a connection is gone (or going), not that a
 * statement was wrong: the backend was terminated or the server is shutting down or starting
 * (57P01–57P03), the connection failed (08xxx), or postgres.js found its socket closed.
 */
export function isConnectionError(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && depth < 5; depth++) {
    if (e instanceof ConnectionLostError) return true;
    const code = typeof e === "object" && "code" in e ? String(e.code) : "";
    if (/^(57P0[123]|08...)$/.test(code)) return true;
    if (
      /^(CONNECTION_(CLOSED|DESTROYED|ENDED)|CONNECT_TIMEOUT|ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|EHOSTUNREACH|ENOTFOUND|EAI_AGAIN)$/.test(
        code,
      )
    ) {
      return true;
    }
    e = typeof e === "object" && "cause" in e ? e.cause : undefined;
  }
  return false;
}

function refused(error: Error) {
  const promise = Promise.reject(error);
  // Handled here so a refused statement nobody awaits is not an unhandled rejection.
  promise.catch(() => undefined);
  const query = () => promise;
  return Object.assign(promise, { values: query, raw: query, execute: query, simple: query });
}
