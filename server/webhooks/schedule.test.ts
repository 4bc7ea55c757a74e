import { describe, expect, it } from "vitest";
import { RETRY_DELAYS_MS, retryDelayMs } from "./schedule";

describe("retryDelayMs", () => {
  it("follows the Standard Webhooks schedule, a tenth either way", () => {
    expect(RETRY_DELAYS_MS).toEqual([
      5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 36_000_000,
    ]);
    expect(retryDelayMs(1, RETRY_DELAYS_MS, () => 0)).toBe(4_500);
    expect(retryDelayMs(1, RETRY_DELAYS_MS, () => 1)).toBe(5_500);
    expect(retryDelayMs(2, RETRY_DELAYS_MS, () => 0.5)).toBe(300_000);
    expect(retryDelayMs(7, RETRY_DELAYS_MS, () => 0.5)).toBe(36_000_000);
  });

  it("gives up after the last attempt", () => {
    expect(retryDelayMs(8)).toBeNull();
    expect(retryDelayMs(1, [])).toBeNull();
  });
});
