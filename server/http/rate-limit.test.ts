import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import { afterAll, describe, expect, inject, it } from "vitest";
import { describeWhere, withoutRedis } from "@/test/requirements";
import { MemoryRateLimitStore, RedisRateLimitStore, type RateLimitStore } from "./rate-limit";

const redisUrl = inject("testRedisUrl");
const redis = redisUrl ? new Redis(redisUrl, { maxRetriesPerRequest: 1 }) : null;
afterAll(() => {
  redis?.disconnect();
});

const storeTests = (make: () => RateLimitStore) => () => {
  it("allows up to the limit in a window, then refuses, then resets", async () => {
    const store = make();
    expect(await store.check("k", 2)).toMatchObject({ allowed: true, remaining: 1 });
    expect(await store.hit("k", 2)).toMatchObject({ allowed: true, remaining: 1 });
    expect(await store.hit("k", 2)).toMatchObject({ allowed: true, remaining: 0 });
    expect(await store.check("k", 2)).toMatchObject({ allowed: false });
    const refused = await store.hit("k", 2);
    expect(refused).toMatchObject({ allowed: false, remaining: 0, limit: 2 });
    expect(refused.resetSeconds).toBeGreaterThanOrEqual(1);
    expect(await store.hit("other", 2)).toMatchObject({ allowed: true });
    await new Promise((resolve) => setTimeout(resolve, 250));
    expect(await store.hit("k", 2)).toMatchObject({ allowed: true, remaining: 1 });
  });
};

describe(
  "memory rate limit store",
  storeTests(() => new MemoryRateLimitStore(200)),
);
describeWhere(
  withoutRedis(),
  "redis rate limit store",
  storeTests(() => new RedisRateLimitStore(redis as Redis, `parley:test:${randomUUID()}:`, 200)),
);

describeWhere(withoutRedis(), "redis rate limit store across instances", () => {
  it("shares one count between app instances", async () => {
    const prefix = `parley:test:${randomUUID()}:`;
    const instanceA = new RedisRateLimitStore(redis as Redis, prefix, 60_000);
    const instanceB = new RedisRateLimitStore(redis as Redis, prefix, 60_000);
    expect(await instanceA.hit("key", 1)).toMatchObject({ allowed: true });
    expect(await instanceB.hit("key", 1)).toMatchObject({ allowed: false });
  });
});

describe("redis rate limit store when Redis is down", () => {
  it("lets requests through", async () => {
    const down = new Redis("redis://127.0.0.1:1", {
      maxRetriesPerRequest: 0,
      enableOfflineQueue: false,
      lazyConnect: true,
      retryStrategy: () => null,
    });
    down.on("error", () => undefined);
    const store = new RedisRateLimitStore(down, "x:", 200);
    expect(await store.hit("k", 1)).toMatchObject({ allowed: true });
    down.disconnect();
  });
});
