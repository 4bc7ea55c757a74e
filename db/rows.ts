import "server-only";

import type { SQL } from "drizzle-orm";
import type { Database, Tx } from "./types";

/**
 * Rows of a raw SQL query on either driver: postgres.js returns an array, PGlite a result
 * object with `rows`. Prefer the query builder; this is for what it cannot express.
 */
export async function queryRows<T>(db: Database | Tx, query: SQL): Promise<T[]> {
  const result: unknown = await db.execute(query);
  if (Array.isArray(result)) return result as T[];
  return (result as { rows: T[] }).rows;
}

/**
 * Drizzle leaves timestamps of raw queries as the driver's text on both drivers; the query
 * builder maps them, raw SQL callers convert with this.
 */
export function toDate(value: Date | string): Date;
export function toDate(value: Date | string | null): Date | null;
export function toDate(value: Date | string | null): Date | null {
  if (value === null) return null;
  return value instanceof Date ? value : new Date(value);
}
