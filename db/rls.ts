import { sql } from "drizzle-orm";
import { openAfterCommit } from "./after-commit";
import { getDb } from "./client";
import type { Tx } from "./types";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Runs `fn` in a transaction as the request role, so Row-Level Security decides every read
 * and write. One statement sets both the user id (a bound parameter) and the role (a constant
 * name, never interpolated); `true` makes both local to the transaction. `userId` null runs
 * as `anon`.
 *
 * Keep `fn` to database work: PGlite has one connection, so a transaction that waits on the
 * network holds up every other request.
 */
export async function withRls<T>(userId: string | null, fn: (tx: Tx) => Promise<T>): Promise<T> {
  if (userId !== null && !UUID.test(userId)) {
    throw new TypeError("withRls: userId must be a UUID");
  }
  let runAfterCommit: (() => void) | undefined;
  const result = await getDb().transaction(async (tx) => {
    runAfterCommit = openAfterCommit(tx);
    await tx.execute(
      userId === null
        ? sql`select set_config('app.user_id', '', true), set_config('role', 'anon', true)`
        : sql`select set_config('app.user_id', ${userId}, true), set_config('role', 'authenticated', true)`,
    );
    return fn(tx);
  });
  runAfterCommit?.();
  return result;
}
