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
