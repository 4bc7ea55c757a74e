export interface RateLimitResult {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Seconds until the window resets. */
  resetSeconds: number;
}

/**
 * Fixed one-minute windows counted in this process. With several app instances each counts
 * its own traffic, so a key gets up to `limit` requests a minute per instance (see README).
 */
export class FixedWindowLimiter {
  private readonly windows = new Map<string, { count: number; resetAt: number }>();

  constructor(private readonly windowMs = 60_000) {}

  private window(id: string, now: number) {
    let current = this.windows.get(id);
    if (!current || current.resetAt <= now) {
      current = { count: 0, resetAt: now + this.windowMs };
      this.windows.set(id, current);
      if (this.windows.size > 50_000) this.sweep(now);
    }
    return current;
  }

  private sweep(now: number): void {
    for (const [id, w] of this.windows) if (w.resetAt <= now) this.windows.delete(id);
  }

  private result(count: number, limit: number, resetAt: number, now: number): RateLimitResult {
    return {
      allowed: count <= limit,
      limit,
      remaining: Math.max(0, limit - count),
      resetSeconds: Math.max(1, Math.ceil((resetAt - now) / 1000)),
    };
  }

  /** Counts one request and says whether it is within the limit. */
  hit(id: string, limit: number, now = Date.now()): RateLimitResult {
    const w = this.window(id, now);
    w.count += 1;
    return this.result(w.count, limit, w.resetAt, now);
  }

  /** Whether one more request would still be within the limit, without counting it. */
  check(id: string, limit: number, now = Date.now()): RateLimitResult {
    const w = this.window(id, now);
    return this.result(w.count + 1, limit, w.resetAt, now);
  }
}

const LIMITERS = Symbol.for("parley.apiRateLimiters");
type GlobalWithLimiters = typeof globalThis & {
  [LIMITERS]?: { perKey: FixedWindowLimiter; failedAuthPerIp: FixedWindowLimiter };
};
const store = globalThis as GlobalWithLimiters;

export function apiLimiters() {
  store[LIMITERS] ??= {
    perKey: new FixedWindowLimiter(),
    failedAuthPerIp: new FixedWindowLimiter(),
  };
  return store[LIMITERS];
}
