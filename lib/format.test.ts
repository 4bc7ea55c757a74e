import { describe, expect, it } from "vitest";
import { createFormatters } from "./format";

const settings = { locale: "en", timeFormat: "24h" as const };
// 23:30 UTC on 24 November: already the 25th at UTC+14, still the 24th at UTC-10.
const MOMENT = new Date("2026-11-24T23:30:00Z");

describe("createFormatters", () => {
  it("shows a moment in the given zone, wherever the code runs", () => {
    const utc = createFormatters({ ...settings, timeZone: "UTC" });
    const kiritimati = createFormatters({ ...settings, timeZone: "Pacific/Kiritimati" });
    const honolulu = createFormatters({ ...settings, timeZone: "Pacific/Honolulu" });
    expect(utc.dateTime(MOMENT)).toBe("Nov 24, 2026, 23:30");
    expect(kiritimati.dateTime(MOMENT)).toBe("Nov 25, 2026, 13:30");
    expect(honolulu.dateTime(MOMENT)).toBe("Nov 24, 2026, 13:30");
    expect(kiritimati.date(MOMENT)).toBe("Nov 25, 2026");
    expect(kiritimati.time(MOMENT)).toBe("13:30");
  });

  it("tells someone's local time in their zone, on the viewer's clock", () => {
    const viewer = createFormatters({ ...settings, timeZone: "UTC" });
    expect(viewer.timeIn(MOMENT, "Asia/Tokyo")).toBe("08:30");
    const twelve = createFormatters({ ...settings, timeFormat: "12h", timeZone: "UTC" });
    expect(twelve.timeIn(MOMENT, "America/New_York")).toBe("6:30 PM");
  });

  it("shows a calendar day as that day in every zone", () => {
    for (const timeZone of ["UTC", "Pacific/Kiritimati", "Pacific/Pago_Pago", "Asia/Tokyo"]) {
      const format = createFormatters({ ...settings, timeZone });
      expect(format.day("2026-11-24")).toBe("Nov 24, 2026");
      expect(format.day("2026-01-01")).toBe("Jan 1, 2026");
    }
  });

  it("names the day a moment falls on in the viewer's zone", () => {
    expect(createFormatters({ ...settings, timeZone: "UTC" }).dayOf(MOMENT)).toBe("2026-11-24");
    expect(createFormatters({ ...settings, timeZone: "Pacific/Kiritimati" }).dayOf(MOMENT)).toBe(
      "2026-11-25",
    );
    const kiritimati = createFormatters({ ...settings, timeZone: "Pacific/Kiritimati" });
    expect(kiritimati.isToday(MOMENT, Date.parse("2026-11-25T09:00:00Z"))).toBe(true);
    expect(kiritimati.isToday(MOMENT, Date.parse("2026-11-24T09:00:00Z"))).toBe(false);
    const german = createFormatters({ locale: "de", timeFormat: "24h", timeZone: "UTC" });
    expect(german.dayOf(MOMENT)).toBe("2026-11-24");
  });

  it("heads a conversation's days Today and Yesterday in the viewer's zone and language", () => {
    const utc = createFormatters({ ...settings, timeZone: "UTC" });
    const kiritimati = createFormatters({ ...settings, timeZone: "Pacific/Kiritimati" });
    const now = Date.parse("2026-11-25T09:00:00Z");
    // The 24th in UTC, yesterday there; already the 25th at UTC+14, today there.
    expect(utc.dayHeading(MOMENT, now)).toBe("Yesterday");
    expect(kiritimati.dayHeading(MOMENT, now)).toBe("Today");
    expect(utc.dayHeading(MOMENT, Date.parse("2026-11-24T23:59:00Z"))).toBe("Today");
    expect(utc.dayHeading(MOMENT, Date.parse("2026-11-26T00:00:00Z"))).toBe("Nov 24, 2026");
    // Across a month's end, and in another language.
    const german = createFormatters({ locale: "de", timeFormat: "24h", timeZone: "UTC" });
    const lastOfOctober = new Date("2026-10-31T12:00:00Z");
    expect(german.dayHeading(lastOfOctober, Date.parse("2026-11-01T08:00:00Z"))).toBe("Gestern");
    expect(german.dayHeading(lastOfOctober, Date.parse("2026-10-31T08:00:00Z"))).toBe("Heute");
  });

  it("writes the hour after midnight as 00 on the 24-hour clock", () => {
    const format = createFormatters({ ...settings, timeZone: "UTC" });
    const afterMidnight = new Date("2026-11-24T00:13:00Z");
    expect(format.time(afterMidnight)).toBe("00:13");
    expect(format.dateTime(afterMidnight)).toBe("Nov 24, 2026, 00:13");
  });

  it("uses the 12-hour clock when asked", () => {
    const format = createFormatters({ ...settings, timeFormat: "12h", timeZone: "UTC" });
    expect(format.time(MOMENT)).toMatch(/^11:30\sPM$/);
  });
});
