import { closeDatabase, openPostgres, setDatabase } from "@/db/client";
import type { Database } from "@/db/types";
import type { BenchContext } from "./context";

/**
 * Parley's own database handle in the benchmark process, on the run's database: the pool,
 * prepared statements and pipelined transactions the server uses (`openPostgres`), installed
 * as the process's handle so `withRls` and the server's services run here exactly as they do
 * in the server. For benchmarks that time the product's database work without HTTP (the
 * notification pipeline is no request at all). Closed, and uninstalled, when `work` is done.
 */
export async function withAppDatabase<T>(
  ctx: BenchContext,
  work: (owner: Database) => Promise<T>,
): Promise<T> {
  const handle = setDatabase(openPostgres(ctx.db.url, { max: 4 }));
  try {
    return await work(handle.db);
  } finally {
    await closeDatabase();
  }
}
