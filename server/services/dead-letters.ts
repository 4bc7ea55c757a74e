import "server-only";

import { count, desc } from "drizzle-orm";
import type { z } from "zod";
import { deadLetters } from "@/db/schema";
import type { Tx } from "@/db/types";
import type { DeadLetter, listDeadLettersInput } from "@/contracts/dead-letters";

function summary(queue: DeadLetter["queue"], payload: unknown): string {
  const p = (payload ?? {}) as Record<string, unknown>;
  if (queue === "audit")
    return `${String(p.method)} ${String(p.endpoint)} → ${String(p.statusCode)}`;
  return `${String(p.bucket)}/${String(p.path)}`;
}

/**
 * The newest work set aside by Parley's queues, for site admins (the `dead_letters` policy
 * shows rows to admins only; anyone else reads none).
 */
export async function listDeadLetters(
  tx: Tx,
  params: z.output<typeof listDeadLettersInput>,
): Promise<{ items: DeadLetter[]; total: number }> {
  const [rows, [totals]] = await Promise.all([
    tx
      .select()
      .from(deadLetters)
      .orderBy(desc(deadLetters.createdAt), desc(deadLetters.id))
      .limit(params.limit),
    tx.select({ total: count() }).from(deadLetters),
  ]);
  return {
    items: rows.map((row) => ({
      id: row.id,
      queue: row.queue,
      summary: summary(row.queue, row.payload),
      error: row.error,
      attempts: row.attempts,
      createdAt: row.createdAt,
    })),
    total: totals?.total ?? 0,
  };
}
