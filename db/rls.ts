import "server-only";

import { sql } from "drizzle-orm";
import { isUuid } from "@/contracts/uuid";
import { openAfterCommit } from "./after-commit";
import { getDatabase } from "./client";
import type { Tx } from "./types";

/**
 * Who a request runs as: a signed-in user in the workspace they have selected (honoured only
 * if they are a member of it when the transaction starts; `get_current_tenant_id()` reads it),
 * a user outside any workspace (their id alone), or nobody (`null`, the `anon` role).
 */
export type RlsActor = string | { userId: string; organizationId: string | null } | null;

/**
 * Runs `fn` in a transaction as the request role, so Row-Level Security decides every read
 * and write. The transaction's first statement sets the user id, the workspace (bound
 * parameters; the workspace only if the user is a member of it, read before the role
 * changes) and the role (a constant name, never interpolated); `true` makes all three local
 * to the transaction.
 * `userId` null runs as `anon`. On server Postgres that statement and BEGIN travel with the
 * first statement of `fn`, queued ahead of it on the same connection (db/pipelined-transaction.ts).
 *
 * Keep `fn` to database work, and await every statement it starts: PGlite has one
 * connection, so a transaction that waits on the network holds up every other request.
 */
export async function withRls<T>(actor: RlsActor, fn: (tx: Tx) => Promise<T>): Promise<T> {
  const { userId, organizationId } =
    typeof actor === "string" || actor === null ? { userId: actor, organizationId: null } : actor;
  if (userId !== null && !isUuid(userId)) {
    throw new TypeError("withRls: userId must be a UUID");
  }
  if (organizationId !== null && !isUuid(organizationId)) {
    throw new TypeError("withRls: organizationId must be a UUID");
  }
  let runAfterCommit: (() => void) | undefined;
  const setup =
    userId === null
      ? sql`select set_config('app.user_id', '', true), set_config('app.org_id', '', true), set_config('role', 'anon', true)`
      : sql`select set_config('app.user_id', ${userId}, true),
          set_config('app.org_id', coalesce((select m."organizationId"::text from public.member m
            where m."userId" = ${userId}::uuid and m."organizationId" = ${organizationId}::uuid), ''), true),
          set_config('role', 'authenticated', true)`;
  const result = await getDatabase().transaction(setup, async (tx) => {
    runAfterCommit = openAfterCommit(tx);
    return fn(tx);
  });
  runAfterCommit?.();
  return result;
}
