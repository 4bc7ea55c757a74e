import "server-only";

import { env } from "@/server/env";

export interface RefusalHoldOptions {
  delayMs: number;
  heldPerKey: number;
  heldInAll: number;
}

/**
 * Holds a refusal for being over a limit a moment before it is sent, as nginx's `limit_req`
 * delays the requests past its rate. A client that retries the moment it is refused — a
 * script in a loop, a reconnect storm — then gets a few answers a second instead of one a
 * millisecond, and stops costing the server (and the machine it shares) a refusal per
 * request. A person who meets a limit is told `Retry-After` anyway; the pause changes nothing
 * for them.
 *
 * A held refusal keeps its connection open, so the holds are bounded per client and in all:
 * past either bound a refusal is sent at once, as it would be without holding.
 */
export class RefusalHold {
  private readonly held = new Map<string, number>();
  private total = 0;

  constructor(
    private readonly options: () => RefusalHoldOptions,
    private readonly wait: (ms: number) => Promise<void> = (ms) =>
      new Promise((resolve) => setTimeout(resolve, ms)),
  ) {}

  /** Waits out the pause for a refusal to `key` (a client address), or not at all when full. */
  async pause(key: string | null): Promise<void> {
    const { delayMs, heldPerKey, heldInAll } = this.options();
    if (delayMs === 0 || this.total >= heldInAll) return;
    const slot = key ?? "";
    const current = this.held.get(slot) ?? 0;
    if (current >= heldPerKey) return;
    this.held.set(slot, current + 1);
    this.total++;
    try {
      await this.wait(delayMs);
    } finally {
      this.total--;
      const left = (this.held.get(slot) ?? 1) - 1;
      if (left === 0) this.held.delete(slot);
      else this.held.set(slot, left);
    }
  }

  /** Refusals held now, in all and for one key. */
  count(key?: string | null): number {
    return key === undefined ? this.total : (this.held.get(key ?? "") ?? 0);
  }
}

/** The process's one hold, with the limits `server/env.ts` sets. */
export const refusalHold = new RefusalHold(() => ({
  delayMs: env.RATE_LIMIT_REFUSAL_DELAY_MS,
  heldPerKey: env.RATE_LIMIT_REFUSALS_HELD_PER_ADDRESS,
  heldInAll: env.RATE_LIMIT_REFUSALS_HELD,
}));
