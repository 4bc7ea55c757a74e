import { afterEach, describe, expect, it } from "vitest";
import { takeAudit } from "./buffer";
import { closeKeylessWindow, KEYLESS_GROUPS_MAX, recordKeylessAudit } from "./keyless";

const request = (ipAddress: string, statusCode = 401, responseTime = 2) => ({
  apiKeyId: null,
  userId: null,
  actorId: null,
  endpoint: "/api/v1/me",
  method: "GET",
  statusCode,
  responseTime,
  ipAddress,
  userAgent: "curl",
  details: null,
});

describe("key-less audit rows", () => {
  afterEach(() => {
    closeKeylessWindow();
    takeAudit(Number.MAX_SAFE_INTEGER);
  });

  it("writes one row per group and window, dated at its first request, counting every request", () => {
    takeAudit(Number.MAX_SAFE_INTEGER);
    const first = new Date("2026-01-01T00:00:00Z");
    recordKeylessAudit(request("192.0.2.1", 401, 3), first);
    for (let i = 0; i < 9; i++) {
      recordKeylessAudit(
        request("192.0.2.1", 401, i === 4 ? 40 : 1),
        new Date(first.getTime() + i),
      );
    }
    recordKeylessAudit(request("192.0.2.1", 429));
    recordKeylessAudit(request("192.0.2.2", 401));
    expect(takeAudit(100)).toEqual([]);
    expect(closeKeylessWindow()).toBe(12);
    const rows = takeAudit(100);
    expect(rows.map((r) => [r.ipAddress, r.statusCode, r.requestCount])).toEqual([
      ["192.0.2.1", 401, 10],
      ["192.0.2.1", 429, 1],
      ["192.0.2.2", 401, 1],
    ]);
    expect(rows[0]).toMatchObject({ createdAt: first, responseTime: 40 });
    expect(closeKeylessWindow()).toBe(0);
  });

  it("holds a bounded number of groups: past it, requests count per endpoint and status", () => {
    takeAudit(Number.MAX_SAFE_INTEGER);
    for (let i = 0; i < KEYLESS_GROUPS_MAX + 5; i++)
      recordKeylessAudit(request(`10.0.${i >> 8}.${i & 255}`));
    expect(closeKeylessWindow()).toBe(KEYLESS_GROUPS_MAX + 5);
    const rows = takeAudit(Number.MAX_SAFE_INTEGER);
    expect(rows).toHaveLength(KEYLESS_GROUPS_MAX + 1);
    expect(rows.at(-1)).toMatchObject({ ipAddress: null, userAgent: null, requestCount: 5 });
    expect(rows.reduce((n, r) => n + (r.requestCount ?? 1), 0)).toBe(KEYLESS_GROUPS_MAX + 5);
  });
});
