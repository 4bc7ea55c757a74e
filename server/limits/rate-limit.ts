import "server-only";

import { Redis } from "ioredis";
import {
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
  type RateLimiterAbstract,
} from "rate-limiter-flexible";
import { env } from "@/server/env";
import { logger } from "@/server/logger";

export interface RateLimitResult {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Seconds until the window resets. */
  resetSeconds: number;
}

/**
 * Fixed windows counted per key by `rate-limiter-flexible`: in this process, or in Redis
 * (`REDIS_URL`) so every instance shares one count. The limit is given with each call rather
 * than fixed per limiter, because one window serves keys with different limits (an API key
 * may carry its own, lower one).
 */
export class RateLimit {
  constructor(private readonly limiter: RateLimiterAbstract) {}

  /** Counts `cost` and says whether the key is still within `limit`. */
  async hit(key: string, limit: number, cost = 1): Promise<RateLimitResult> {
    return this.result(await this.settle(this.limiter.consume(key, cost)), limit);
  }

  /** Whether one more would still be within `limit`, without counting it. */
  async check(key: string, limit: number): Promise<RateLimitResult> {
    const current = await this.settle(this.limiter.get(key));
    return this.result(current, limit, 1);
  }

  // rate-limiter-flexible's contract: an exhausted window rejects with a RateLimiterRes, a
  // store failure with an Error (none reach here: the insurance limiter answers instead).
  private async settle(pending: Promise<RateLimiterRes | null>): Promise<RateLimiterRes | null> {
    try {
      return await pending;
    } catch (error) {
      // Only an exhausted window rejects with a RateLimiterRes; windows here are unbounded.
      if (error instanceof RateLimiterRes) return error;
      throw error;
    }
  }

  private result(res: RateLimiterRes | null, limit: number, extra = 0): RateLimitResult {
    const count = (res?.consumedPoints ?? 0) + extra;
    const msLeft = res?.msBeforeNext ?? this.limiter.duration * 1000;
    return {
      allowed: count <= limit,
      limit,
      remaining: Math.max(0, limit - count),
      resetSeconds: Math.max(1, Math.ceil(msLeft / 1000)),
    };
  }
}

/** No window counts this high: whether a key is over is decided per call, against its limit. */
const UNBOUNDED = Number.MAX_SAFE_INTEGER;

export interface RateLimitOptions {
  /** Names the window in Redis keys and logs: `parley:rl:<name>:<key>`. */
  name: string;
  durationSeconds: number;
  /** Shared through this Redis; without it, counted in this process. */
  redis?: Redis | undefined;
}

export function createRateLimit({ name, durationSeconds, redis }: RateLimitOptions): RateLimit {
  const keyPrefix = `parley:rl:${name}`;
  const memory = new RateLimiterMemory({ keyPrefix, points: UNBOUNDED, duration: durationSeconds });
  if (!redis) return new RateLimit(memory);
  // When Redis cannot answer, this process counts on its own until it can: a limiter outage
  // neither takes the app down nor lifts the limits.
  return new RateLimit(
    new RateLimiterRedis({
      storeClient: redis,
      keyPrefix,
      points: UNBOUNDED,
      duration: durationSeconds,
      insuranceLimiter: memory,
    }),
  );
}

let sharedRedis: Redis | undefined;

/** The Redis every limit shares when `REDIS_URL` is set. */
function rateLimitRedis(): Redis | undefined {
  if (!env.REDIS_URL) return undefined;
  if (!sharedRedis) {
    sharedRedis = new Redis(env.REDIS_URL, {
      maxRetriesPerRequest: 1,
      enableOfflineQueue: false,
    });
    sharedRedis.on("error", (error) => logger.warn({ err: error }, "redis error"));
  }
  return sharedRedis;
}

const limits = new Map<string, RateLimit>();

/** One window per name for the whole process, per minute unless said otherwise. */
export function rateLimit(name: string, durationSeconds = 60): RateLimit {
  let limit = limits.get(name);
  if (!limit) {
    limit = createRateLimit({ name, durationSeconds, redis: rateLimitRedis() });
    limits.set(name, limit);
  }
  return limit;
}
