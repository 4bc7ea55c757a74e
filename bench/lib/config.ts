import path from "node:path";

/**
 * The benchmark harness's own settings. It is a launcher, like e2e/serve.ts: it reads its
 * environment directly and hands the app its configuration through the child's environment.
 */
// eslint-disable-next-line no-restricted-properties
const source = process.env;

export const ROOT = path.resolve(import.meta.dirname, "../..");
export const RESULTS_DIR = path.join(ROOT, "bench", "results");

/** The server Postgres the benchmarks create their database on (trust auth, superuser). */
export const BENCH_DATABASE_URL =
  source.BENCH_DATABASE_URL?.trim() || "postgres://postgres@127.0.0.1:5432/postgres";

/** Set to a directory to write a V8 CPU profile of the Parley server (`--cpu-prof`). */
export const BENCH_CPU_PROF = source.BENCH_CPU_PROF?.trim() || undefined;

/**
 * Set to a directory to write heap snapshots of the Parley server where a benchmark measures
 * memory (the abuse benchmark: before the attacks and once they have settled).
 */
export const BENCH_HEAP_SNAPSHOTS = source.BENCH_HEAP_SNAPSHOTS?.trim() || undefined;

/** Set to 1 to keep each benchmark's database after the run, to read its plans with EXPLAIN. */
export const BENCH_KEEP_DATABASE = source.BENCH_KEEP_DATABASE?.trim() === "1";

/** Extra environment for the Parley server, as JSON (e.g. `{"MALLOC_ARENA_MAX":"2"}`). */
export const BENCH_SERVER_ENV = JSON.parse(source.BENCH_SERVER_ENV?.trim() || "{}") as Record<
  string,
  string
>;

/** The environment a child process inherits, without anything the app would pick up. */
export function childEnvironment(extra: Record<string, string>): NodeJS.ProcessEnv {
  const inherited: NodeJS.ProcessEnv = { ...source, NEXT_TELEMETRY_DISABLED: "1" };
  for (const name of Object.keys(inherited)) {
    if (name.startsWith("DATABASE_") || name.startsWith("SUPABASE_") || name === "REDIS_URL") {
      delete inherited[name];
    }
  }
  return { ...inherited, ...extra };
}
