import "server-only";

import { Redis } from "ioredis";
import { env } from "@/server/env";
import { logger } from "@/server/logger";

export interface RateLimitResult {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Seconds until the window resets. */
  resetSeconds: number;
}

/** Fixed one-minute windows, counted per id. */
export interface RateLimitStore {
  /** Counts one request and says whether it is within the limit. */
  hit(id: string, limit: number): Promise<RateLimitResult>;
  /** Whether one more request would still be within the limit, without counting it. */
  check(id: string, limit: number): Promise<RateLimitResult>;
}

function result(count: number, limit: number, msLeft: number): RateLimitResult {
  return {
    allowed: count <= limit,
    limit,
    remaining: Math.max(0, limit - count),
    resetSeconds: Math.max(1, Math.ceil(msLeft / 1000)),
  };
}

/**
 * Counts in this process. With several app instances each counts its own traffic, so a key
 * gets up to `limit` requests a minute per instance; set REDIS_URL to share the counts.
 */
export class MemoryRateLimitStore implements RateLimitStore {
  private readonly windows = new Map<string, { count: number; resetAt: number }>();

  constructor(private readonly windowMs = 60_000) {}

  private window(id: string, now: number) {
    let current = this.windows.get(id);
    if (!current || current.resetAt <= now) {
      current = { count: 0, resetAt: now + this.windowMs };
      this.windows.set(id, current);
      if (this.windows.size > 50_000) {
        for (const [key, w] of this.windows) if (w.resetAt <= now) this.windows.delete(key);
      }
    }
    return current;
  }

  hit(id: string, limit: number): Promise<RateLimitResult> {
    const now = Date.now();
    const w = this.window(id, now);
    w.count += 1;
    return Promise.resolve(result(w.count, limit, w.resetAt - now));
  }

  check(id: string, limit: number): Promise<RateLimitResult> {
    const now = Date.now();
    const w = this.window(id, now);
    return Promise.resolve(result(w.count + 1, limit, w.resetAt - now));
  }
}

/**
 * Counts shared by every instance on one Redis: INCR plus an expiry set with the first hit.
 * If Redis cannot answer, requests are let through (and logged): a limiter outage must not
 * take the API down with it.
 */
export class RedisRateLimitStore implements RateLimitStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix = "parley:ratelimit:",
    private readonly windowMs = 60_000,
  ) {}

  private failOpen(error: unknown, limit: number): RateLimitResult {
    logger.warn({ err: error }, "rate limit store unavailable; allowing the request");
    return result(0, limit, this.windowMs);
  }

  async hit(id: string, limit: number): Promise<RateLimitResult> {
    try {
      const replies = await this.redis
        .multi()
        .incr(this.prefix + id)
        .pexpire(this.prefix + id, this.windowMs, "NX")
        .pttl(this.prefix + id)
        .exec();
      const count = Number(replies?.[0]?.[1] ?? 0);
      const ttl = Number(replies?.[2]?.[1] ?? this.windowMs);
      return result(count, limit, ttl > 0 ? ttl : this.windowMs);
    } catch (error) {
      return this.failOpen(error, limit);
    }
  }

  async check(id: string, limit: number): Promise<RateLimitResult> {
    try {
      const [count, ttl] = await Promise.all([
        this.redis.get(this.prefix + id),
        this.redis.pttl(this.prefix + id),
      ]);
      return result(Number(count ?? 0) + 1, limit, ttl > 0 ? ttl : this.windowMs);
    } catch (error) {
      return this.failOpen(error, limit);
    }
  }
}

let limiters: { perKey: RateLimitStore; failedAuthPerIp: RateLimitStore } | undefined;

export function apiLimiters() {
  if (!limiters) {
    if (env.REDIS_URL) {
      const redis = new Redis(env.REDIS_URL, {
        maxRetriesPerRequest: 1,
        enableOfflineQueue: false,
        lazyConnect: false,
      });
      redis.on("error", (error) => logger.warn({ err: error }, "redis error"));
      limiters = {
        perKey: new RedisRateLimitStore(redis, "parley:ratelimit:key:"),
        failedAuthPerIp: new RedisRateLimitStore(redis, "parley:ratelimit:authfail:"),
      };
    } else {
      limiters = {
        perKey: new MemoryRateLimitStore(),
        failedAuthPerIp: new MemoryRateLimitStore(),
      };
    }
  }
  return limiters;
}
