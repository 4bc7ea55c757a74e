import { describe, expect, it } from "vitest";
import { statusExpiry } from "./status-expiry";

describe("statusExpiry", () => {
  // A Wednesday afternoon, in the test process's own time zone.
  const now = new Date(2026, 11, 2, 15, 20, 0);

  it("adds the minutes of the short durations", () => {
    expect(statusExpiry("30m", now)).toEqual(new Date(2026, 11, 2, 15, 50, 0));
    expect(statusExpiry("4h", now)).toEqual(new Date(2026, 11, 2, 19, 20, 0));
  });

  it("ends today at its last minute, and this week on Sunday", () => {
    expect(statusExpiry("today", now)).toEqual(new Date(2026, 11, 2, 23, 59, 59));
    expect(statusExpiry("week", now)).toEqual(new Date(2026, 11, 6, 23, 59, 59));
    const sunday = new Date(2026, 11, 6, 10, 0, 0);
    expect(statusExpiry("week", sunday)).toEqual(new Date(2026, 11, 6, 23, 59, 59));
  });

  it("does not end when asked not to", () => {
    expect(statusExpiry("never", now)).toBeNull();
  });
});
