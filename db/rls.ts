import "server-only";

import { sql } from "drizzle-orm";
import { isUuid } from "@/contracts/uuid";
import { openAfterCommit } from "./after-commit";
import { getDatabase } from "./client";
import type { Tx } from "./types";

/**
 * Runs `fn` in a transaction as the request role, so Row-Level Security decides every read
 * and write. The transaction's first statement sets both the user id (a bound parameter) and
 * the role (a constant name, never interpolated); `true` makes both local to the transaction.
 * `userId` null runs as `anon`. On server Postgres that statement and BEGIN travel with the
 * first statement of `fn`, queued ahead of it on the same connection (db/pipelined-transaction.ts).
 *
 * Keep `fn` to database work, and await every statement it starts: PGlite has one
 * connection, so a transaction that waits on the network holds up every other request.
 */
export async function withRls<T>(userId: string | null, fn: (tx: Tx) => Promise<T>): Promise<T> {
  if (userId !== null && !isUuid(userId)) {
    throw new TypeError("withRls: userId must be a UUID");
  }
  let runAfterCommit: (() => void) | undefined;
  const setup =
    userId === null
      ? sql`select set_config('app.user_id', '', true), set_config('role', 'anon', true)`
      : sql`select set_config('app.user_id', ${userId}, true), set_config('role', 'authenticated', true)`;
  const result = await getDatabase().transaction(setup, async (tx) => {
    runAfterCommit = openAfterCommit(tx);
    return fn(tx);
  });
  runAfterCommit?.();
  return result;
}
