import "server-only";

import { sql } from "drizzle-orm";
import type { Database } from "@/db/client";

/** How often one person's coming online is written, at most: a tab opening is not news. */
const ONLINE_WRITE_INTERVAL_MS = 60_000;
/** People remembered for that interval; past it the oldest are forgotten (at worst, a write). */
const REMEMBERED = 10_000;

/**
 * When people were last online, as this instance sees their presence channels come
 * and go: written when one joins (at most once a minute a person) and whenever one leaves,
 * so the time a person went offline is the last one written. System bookkeeping through the
 * owner connection; a failed write is logged and the next one catches up.
 */
export class LastSeenRecorder {
  private readonly written = new Map<string, number>();

  constructor(
    private readonly db: Database,
    private readonly onError: (error: unknown) => void,
  ) {}

  seen(userId: string, change: "online" | "offline"): void {
    const now = Date.now();
    const last = this.written.get(userId);
    if (change === "online" && last !== undefined && now - last < ONLINE_WRITE_INTERVAL_MS) return;
    this.written.delete(userId);
    this.written.set(userId, now);
    if (this.written.size > REMEMBERED) {
      const oldest = this.written.keys().next().value;
      if (oldest !== undefined) this.written.delete(oldest);
    }
    this.db
      .execute(
        sql`insert into public.user_last_seen ("userId", "lastSeenAt") values (${userId}::uuid, now())
            on conflict ("userId") do update set "lastSeenAt" = excluded."lastSeenAt"`,
      )
      .catch(this.onError);
  }
}
