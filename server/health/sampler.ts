import "server-only";

import { sql } from "drizzle-orm";
import { queryRows } from "@/db/rows";
import type { Database } from "@/db/types";
import {
  healthSources,
  recordHealthSample,
  sampleOf,
  SAMPLE_EVERY_MS,
  setHealthSources,
  type GatewayStats,
} from "./samples";

export interface HealthSamplingOptions {
  /** The owner connection: the sampler reads statistics only, through functions no request role may call. */
  db: Database;
  /** This process's realtime gateway, when it serves realtime itself. */
  gateway?: { stats(): GatewayStats } | undefined;
  /** The in-memory audit queue's length (server/audit/buffer.ts). */
  auditPending?: () => number;
  everyMs?: number;
  onError?: (error: unknown) => void;
}

/**
 * Takes one sample now, the figures /admin/health charts, unless one (an admin's read) was
 * taken less than `minGapMs` ago.
 */
export async function takeHealthSample(db: Database, minGapMs = 0): Promise<void> {
  const connections = await queryRows<{ state: string; connections: number }>(
    db,
    sql`select state, connections from public.health_connection_counts()`,
  );
  const [queued] = await queryRows<{ total: number }>(
    db,
    sql`select coalesce(sum(pending), 0)::int as total from public.health_queue_depths()`,
  );
  recordHealthSample(
    sampleOf(new Date(), connections, queued?.total ?? 0, healthSources()),
    minGapMs,
  );
}

/**
 * Hands the gateway and the audit buffer to /admin/health and samples the trend every minute
 * from now on. Returns the stop (a shutdown hook).
 */
export function startHealthSampling(options: HealthSamplingOptions): () => void {
  const { gateway, auditPending } = options;
  setHealthSources({
    ...(gateway ? { gateway: () => gateway.stats() } : {}),
    ...(auditPending ? { auditPending } : {}),
  });
  const everyMs = options.everyMs ?? SAMPLE_EVERY_MS;
  let running = false;
  const run = () => {
    if (running) return;
    running = true;
    takeHealthSample(options.db, everyMs / 2)
      .catch((error: unknown) => options.onError?.(error))
      .finally(() => (running = false));
  };
  run();
  const timer = setInterval(run, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
