import { describe, expect, it } from "vitest";
import { lastDays, USAGE_DAYS } from "./usage-range";

describe("the usage range", () => {
  it("is the last 30 UTC days through the end of today", () => {
    const range = lastDays(new Date("2026-12-07T19:30:00Z"));
    expect(range.from.toISOString()).toBe("2026-11-08T00:00:00.000Z");
    expect(range.to.toISOString()).toBe("2026-12-07T23:59:59.999Z");
    expect(range.days).toHaveLength(USAGE_DAYS);
    expect(range.days[0]).toBe("2026-11-08");
    expect(range.days.at(-1)).toBe("2026-12-07");
  });

  it("stays the same all day, so the query asked for early is the one the dialog shows", () => {
    const morning = lastDays(new Date("2026-12-07T00:00:00.000Z"));
    const night = lastDays(new Date("2026-12-07T23:59:59.999Z"));
    expect(JSON.stringify(night)).toBe(JSON.stringify(morning));
    expect(lastDays(new Date("2026-12-08T00:00:00.000Z")).from.toISOString()).toBe(
      "2026-11-09T00:00:00.000Z",
    );
  });
});
