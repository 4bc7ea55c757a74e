import { describe, expect, it } from "vitest";
import { createFormatters } from "./format";
import { formatBytes } from "./format-bytes";

describe("formatBytes", () => {
  const format = createFormatters({ locale: "en-US", timeFormat: "24h", timeZone: "UTC" });

  it("writes every size with its unit's symbol, decimal", () => {
    expect(formatBytes(format, 387)).toBe("387 B");
    expect(formatBytes(format, 101_700)).toBe("101.7 kB");
    expect(formatBytes(format, 1_500_000)).toBe("1.5 MB");
    expect(formatBytes(format, 2_000_000_000)).toBe("2 GB");
  });
});
