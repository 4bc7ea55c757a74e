import { and, eq, lt, or, type SQL } from "drizzle-orm";
import type { PgColumn } from "drizzle-orm/pg-core";
import { AppError } from "@/server/errors";

/**
 * Keyset cursors over (time, id), newest first: `<ISO time>_<uuid>`. Opaque to clients; a
 * cursor that does not parse is BAD_REQUEST.
 */
export function encodeTimeCursor(at: Date, id: string): string {
  return `${at.toISOString()}_${id}`;
}

export function decodeTimeCursor(cursor: string): { at: Date; id: string } {
  const [at, id] = cursor.split("_");
  const date = new Date(at ?? "");
  if (!id || Number.isNaN(date.getTime()) || !/^[0-9a-f-]{36}$/i.test(id)) {
    throw new AppError("BAD_REQUEST", "Invalid cursor");
  }
  return { at: date, id };
}

/** The rows after a decoded cursor in (time desc, id desc) order; undefined without one. */
export function afterTimeCursor(
  columns: { at: PgColumn; id: PgColumn },
  cursor: string | undefined,
): SQL | undefined {
  if (!cursor) return undefined;
  const after = decodeTimeCursor(cursor);
  return or(lt(columns.at, after.at), and(eq(columns.at, after.at), lt(columns.id, after.id)));
}
