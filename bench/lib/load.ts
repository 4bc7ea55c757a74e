import { summarize, type LatencySummary } from "./stats";

export interface LoadResult {
  /** Operations completed per second over the measured window. */
  throughput: number;
  completed: number;
  errors: number;
  durationMs: number;
  latencyMs: LatencySummary;
  /** CPU the load generator itself used (this process), as a share of one core. */
  clientCpuShare: number;
  firstError?: string;
  /** With `kinds`: the same figures for each kind of operation, by its index. */
  byKind?: KindResult[];
}

export interface KindResult {
  throughput: number;
  completed: number;
  latencyMs: LatencySummary;
}

export interface LoadOptions {
  concurrency: number;
  durationMs: number;
  /** Unmeasured time before the window, to warm caches, JIT and pools. */
  warmupMs?: number;
  /**
   * Operations of several kinds mixed in one window (`of` gives the kind of a worker's
   * iteration, 0…count-1), reported each on its own as well: they share the window, so a
   * machine whose speed drifts during the run weighs on every kind alike.
   */
  kinds?: { count: number; of: (worker: number, iteration: number) => number };
}

/**
 * A closed loop: `concurrency` workers each run `operation` back to back. Throughput counts the
 * operations that finished inside the measured window; latency takes every operation that
 * started inside it, so a slow operation that outlasts the window still shows. `operation(worker,
 * i)` gets its worker index, so each worker can act as its own user.
 */
export async function closedLoop(
  options: LoadOptions,
  operation: (worker: number, iteration: number) => Promise<void>,
): Promise<LoadResult> {
  const warmupMs = options.warmupMs ?? 0;
  const started = performance.now();
  const windowStart = started + warmupMs;
  const windowEnd = windowStart + options.durationMs;
  const samples: number[] = [];
  const kindCount = options.kinds?.count ?? 0;
  const kindSamples = Array.from({ length: kindCount }, () => [] as number[]);
  const kindCompleted = new Array<number>(kindCount).fill(0);
  let completed = 0;
  let errors = 0;
  let firstError: string | undefined;
  let cpuAtWindowStart: NodeJS.CpuUsage | undefined;

  const worker = async (index: number) => {
    let iteration = 0;
    let measuredHere = 0;
    for (;;) {
      const begin = performance.now();
      // Every worker measures at least one operation, however slow (a window shorter than
      // one operation would otherwise measure nothing).
      if (begin >= windowEnd && measuredHere > 0) return;
      const measured = begin >= windowStart;
      if (measured) measuredHere++;
      if (measured && !cpuAtWindowStart) cpuAtWindowStart = process.cpuUsage();
      const kind = options.kinds?.of(index, iteration);
      try {
        await operation(index, iteration++);
        const end = performance.now();
        if (measured) samples.push(end - begin);
        if (end >= windowStart && end <= windowEnd) completed++;
        if (kind !== undefined) {
          if (measured) kindSamples[kind]?.push(end - begin);
          if (end >= windowStart && end <= windowEnd) kindCompleted[kind]!++;
        }
      } catch (error) {
        if (measured) errors++;
        firstError ??= error instanceof Error ? error.message : String(error);
      }
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, (_, i) => worker(i)));
  const cpu = process.cpuUsage(cpuAtWindowStart);
  const elapsedMs = Math.max(options.durationMs, performance.now() - windowStart);
  return {
    throughput: completed / (options.durationMs / 1000),
    completed,
    errors,
    durationMs: options.durationMs,
    latencyMs: summarize(samples),
    clientCpuShare: (cpu.user + cpu.system) / 1000 / elapsedMs,
    ...(firstError ? { firstError } : {}),
    ...(options.kinds
      ? {
          byKind: kindSamples.map((kindLatencies, i) => ({
            throughput: kindCompleted[i]! / (options.durationMs / 1000),
            completed: kindCompleted[i]!,
            latencyMs: summarize(kindLatencies),
          })),
        }
      : {}),
  };
}

/** Throws with the first error when a run had failures: figures from failed calls mislead. */
export function assertNoErrors(what: string, result: LoadResult): void {
  if (result.errors > 0 || result.latencyMs.count === 0) {
    throw new Error(
      `${what}: ${result.errors} errors, ${result.latencyMs.count} measured; first: ${result.firstError ?? "none"}`,
    );
  }
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
