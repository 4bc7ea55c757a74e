import "server-only";

import { sql } from "drizzle-orm";
import type { Database } from "@/db/client";

/**
 * Claims in public.realtime_captures for the tables this instance has postgres_changes
 * subscriptions on. The capture triggers notify only while some claim is live, so an idle
 * deployment pays nothing for NOTIFY. Claims expire unless renewed, so a crashed instance
 * stops costing anything within minutes. A named system job on the owner connection.
 */
const CLAIM_TTL_SECONDS = 180;
const RENEW_EVERY_MS = 60_000;

export class CaptureClaims {
  private claimed = new Set<string>();
  private renewTimer: NodeJS.Timeout | undefined;
  private chain: Promise<void> = Promise.resolve();

  constructor(
    private readonly db: Database,
    private readonly instanceId: string,
    private readonly onError: (error: unknown) => void,
  ) {}

  /** Makes the claims match `tables`; resolves once the database has them. */
  update(tables: Set<string>): Promise<void> {
    const next = this.chain.then(() => this.apply(tables));
    this.chain = next.catch(this.onError);
    return next;
  }

  private async apply(tables: Set<string>): Promise<void> {
    const added = [...tables].filter((t) => !this.claimed.has(t));
    const removed = [...this.claimed].filter((t) => !tables.has(t));
    if (added.length) await this.claim(added);
    if (removed.length) {
      await this.db.execute(
        sql`delete from public.realtime_captures where "instanceId" = ${this.instanceId}::uuid and "tableName" = any(${`{${removed.join(",")}}`}::text[])`,
      );
    }
    this.claimed = new Set(tables);
    if (this.claimed.size && !this.renewTimer) {
      this.renewTimer = setInterval(() => {
        this.chain = this.chain.then(() => this.claim([...this.claimed])).catch(this.onError);
      }, RENEW_EVERY_MS);
      this.renewTimer.unref();
    } else if (!this.claimed.size && this.renewTimer) {
      clearInterval(this.renewTimer);
      this.renewTimer = undefined;
    }
  }

  private async claim(tables: string[]): Promise<void> {
    if (!tables.length) return;
    await this.db.execute(sql`
      insert into public.realtime_captures ("instanceId", "tableName", "expiresAt")
      select ${this.instanceId}::uuid, t, now() + ${`${CLAIM_TTL_SECONDS} seconds`}::interval
      from unnest(${`{${tables.join(",")}}`}::text[]) as t
      on conflict ("instanceId", "tableName") do update set "expiresAt" = excluded."expiresAt"`);
  }

  async close(): Promise<void> {
    clearInterval(this.renewTimer);
    this.renewTimer = undefined;
    await this.update(new Set());
  }
}
