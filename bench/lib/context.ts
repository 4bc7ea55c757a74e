import type { BenchDatabase } from "./database";
import type { BenchResult } from "./result";
import type { RunningServer } from "./server";

export interface BenchContext {
  db: BenchDatabase;
  /** Parley's production server; started on first use, shared by the benchmarks of a run. */
  server(): Promise<RunningServer>;
  log(message: string): void;
  /** A smoke run: tiny data and 2-second windows, to check that a benchmark works. */
  quick: boolean;
}

export interface Benchmark {
  name: string;
  /** Whether it needs the production build (`next build`) in `.next`. */
  needsBuild: boolean;
  run(ctx: BenchContext): Promise<BenchResult>;
}
