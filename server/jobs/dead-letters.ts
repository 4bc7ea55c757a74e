import "server-only";

import { lt, sql } from "drizzle-orm";
import type { DeadLetterQueue } from "@/contracts/enums";
import { deadLetters } from "@/db/schema";
import type { Database } from "@/db/types";
import { storableJson, storableText } from "@/server/storable-json";

/** The longest payload kept, as JSON text; a larger one is kept as its first characters. */
const PAYLOAD_MAX_CHARS = 16_000;
const ERROR_MAX_CHARS = 2_000;

/** What an error says, for a person reading the dead letters: its message and SQLSTATE. */
export function describeError(error: unknown): string {
  const parts: string[] = [];
  for (let e: unknown = error, depth = 0; e && depth < 5; depth++) {
    if (e instanceof Error) parts.push(e.message);
    const code = typeof e === "object" && e && "code" in e ? String(e.code) : "";
    if (code) parts.push(`(${code})`);
    e = typeof e === "object" && e && "cause" in e ? e.cause : undefined;
  }
  return storableText(parts.join(" ") || String(error), ERROR_MAX_CHARS);
}

/**
 * Sets a piece of queued work aside for good, with why: it will not be tried again, and it no
 * longer stands in front of the work queued behind it. On the owner connection.
 */
export async function setAside(
  db: Database,
  queue: DeadLetterQueue,
  payload: unknown,
  error: unknown,
  attempts = 1,
): Promise<void> {
  const stored =
    storableJson(payload, PAYLOAD_MAX_CHARS) ??
    ({ truncated: storableText(JSON.stringify(payload) ?? "", PAYLOAD_MAX_CHARS) } as const);
  await db.insert(deadLetters).values({
    queue,
    payload: stored,
    error: describeError(error),
    attempts: Math.max(1, attempts),
  });
}

/** Removes dead letters older than `days` (kept as long as audit rows); returns how many. */
export async function purgeDeadLetters(db: Database, days: number): Promise<number> {
  const deleted = await db
    .delete(deadLetters)
    .where(lt(deadLetters.createdAt, sql`now() - make_interval(days => ${days})`))
    .returning({ id: deadLetters.id });
  return deleted.length;
}
