import { describe, expect, it } from "vitest";
import { createFormatters } from "@/lib/format";
import { lastSeenText } from "./presence-text";

describe("lastSeenText", () => {
  const format = createFormatters({ locale: "en", timeFormat: "24h", timeZone: "UTC" });
  const now = Date.now();

  it("says today and yesterday with the time, older days by their date", () => {
    const today = new Date(now - 60_000);
    expect(lastSeenText(format, today)).toBe(`Last seen today at ${format.time(today)}`);
    const yesterday = new Date(now - 24 * 3_600_000);
    expect(lastSeenText(format, yesterday)).toBe(
      `Last seen yesterday at ${format.time(yesterday)}`,
    );
    const older = new Date(now - 10 * 24 * 3_600_000);
    expect(lastSeenText(format, older)).toBe(`Last seen ${format.date(older)}`);
  });
});
