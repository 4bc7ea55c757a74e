import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import { afterAll, describe, expect, inject, it } from "vitest";
import { describeWhere, withoutRedis } from "@/test/requirements";
import { createRateLimit, type RateLimit } from "./rate-limit";

const redisUrl = inject("testRedisUrl");
const redis = redisUrl
  ? new Redis(redisUrl, { maxRetriesPerRequest: 1, enableOfflineQueue: false })
  : null;
afterAll(() => {
  redis?.disconnect();
});

const windowTests = (make: () => RateLimit) => () => {
  it("allows up to the limit in a window, then refuses, then resets", async () => {
    const limit = make();
    expect(await limit.check("k", 2)).toMatchObject({ allowed: true, remaining: 1 });
    expect(await limit.hit("k", 2)).toMatchObject({ allowed: true, remaining: 1 });
    expect(await limit.hit("k", 2)).toMatchObject({ allowed: true, remaining: 0 });
    expect(await limit.check("k", 2)).toMatchObject({ allowed: false });
    const refused = await limit.hit("k", 2);
    expect(refused).toMatchObject({ allowed: false, remaining: 0, limit: 2 });
    expect(refused.resetSeconds).toBeGreaterThanOrEqual(1);
    expect(await limit.hit("other", 2)).toMatchObject({ allowed: true });
    // Each call names its own limit: the same count is within a higher one.
    expect(await limit.check("k", 10)).toMatchObject({ allowed: true, remaining: 6 });
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect(await limit.hit("k", 2)).toMatchObject({ allowed: true, remaining: 1 });
  });

  it("counts a cost of several at once", async () => {
    const limit = make();
    expect(await limit.hit("k", 5, 4)).toMatchObject({ allowed: true, remaining: 1 });
    expect(await limit.hit("k", 5, 2)).toMatchObject({ allowed: false });
  });
};

describe(
  "rate limit in memory",
  windowTests(() => createRateLimit({ name: `test-${randomUUID()}`, durationSeconds: 1 })),
);
describeWhere(
  withoutRedis(),
  "rate limit in Redis",
  windowTests(() =>
    createRateLimit({ name: `test-${randomUUID()}`, durationSeconds: 1, redis: redis! }),
  ),
);

describeWhere(withoutRedis(), "rate limit in Redis across instances", () => {
  it("shares one count between app instances", async () => {
    const name = `test-${randomUUID()}`;
    const instanceA = createRateLimit({ name, durationSeconds: 60, redis: redis! });
    const instanceB = createRateLimit({ name, durationSeconds: 60, redis: redis! });
    expect(await instanceA.hit("key", 1)).toMatchObject({ allowed: true });
    expect(await instanceB.hit("key", 1)).toMatchObject({ allowed: false });
  });
});

describe("rate limit when Redis is down", () => {
  it("counts in this process instead: neither failing nor lifting the limit", async () => {
    const down = new Redis("redis://127.0.0.1:1", {
      maxRetriesPerRequest: 0,
      enableOfflineQueue: false,
      lazyConnect: true,
      retryStrategy: () => null,
    });
    down.on("error", () => undefined);
    const limit = createRateLimit({ name: "down", durationSeconds: 60, redis: down });
    expect(await limit.hit("k", 2)).toMatchObject({ allowed: true });
    expect(await limit.hit("k", 2)).toMatchObject({ allowed: true });
    expect(await limit.hit("k", 2)).toMatchObject({ allowed: false });
    down.disconnect();
  });
});
