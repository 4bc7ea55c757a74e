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
