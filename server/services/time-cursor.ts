import "server-only";

import { sql, type SQL } from "drizzle-orm";
import type { PgColumn } from "drizzle-orm/pg-core";
import { isUuid } from "@/contracts/uuid";
import { AppError } from "@/server/errors";

/**
 * Keyset cursors over (time, id), newest first: `<ISO time>_<uuid>`. Opaque to clients; a
 * cursor that does not parse is BAD_REQUEST.
 *
 * The time keeps Postgres's microseconds. A JavaScript Date holds milliseconds only, and a
 * cursor cut to the millisecond would skip every row written later in the same millisecond
 * as the last row of a page, so the time is rendered by Postgres and compared as text cast
 * back to timestamptz, never round-tripped through a Date.
 */
const CURSOR_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$/;

/** A column (or expression) as the cursor's time text, with every microsecond. */
export function cursorTime(at: PgColumn | SQL): SQL<string> {
  return sql<string>`to_char(${at} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
}

export function encodeTimeCursor(at: string, id: string): string {
  return `${at}_${id}`;
}

export function decodeTimeCursor(cursor: string): { at: string; id: string } {
  const [at, id, ...rest] = cursor.split("_");
  if (!at || !id || rest.length > 0 || !CURSOR_TIME.test(at) || !isUuid(id)) {
    throw new AppError("BAD_REQUEST", "Invalid cursor");
  }
  return { at, id };
}

/** The rows after a cursor in (time desc, id desc) order; undefined without one. */
export function afterTimeCursor(
  columns: { at: PgColumn | SQL; id: PgColumn | SQL },
  cursor: string | undefined,
): SQL | undefined {
  if (!cursor) return undefined;
  const after = decodeTimeCursor(cursor);
  return sql`(${columns.at}, ${columns.id}) < (${after.at}::timestamptz, ${after.id}::uuid)`;
}
