/**
 * Do-not-disturb: a daily window, in the user's own time zone, when nothing is pushed or
 * e-mailed to them. A window may run past midnight ("22:00"–"07:00").
 */
export interface QuietHours {
  /** "HH:MM", 24-hour. */
  start: string;
  end: string;
  /** An IANA zone, e.g. "Europe/Berlin". */
  timeZone: string;
}

export const TIME_OF_DAY = /^([01]\d|2[0-3]):[0-5]\d$/;

const minutes = (time: string) => Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));

/** The minute of the day at `now` in `timeZone`; UTC when the zone is not one the runtime knows. */
function minuteOfDay(now: Date, timeZone: string): number {
  let parts: Intl.DateTimeFormatPart[];
  try {
    parts = new Intl.DateTimeFormat("en-GB", {
      timeZone,
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
    }).formatToParts(now);
  } catch {
    return now.getUTCHours() * 60 + now.getUTCMinutes();
  }
  const value = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return value("hour") * 60 + value("minute");
}

/** Whether `now` falls in the window; an empty window (start = end) never does. */
export function inQuietHours(quiet: QuietHours, now: Date): boolean {
  if (!TIME_OF_DAY.test(quiet.start) || !TIME_OF_DAY.test(quiet.end)) return false;
  const start = minutes(quiet.start);
  const end = minutes(quiet.end);
  if (start === end) return false;
  const at = minuteOfDay(now, quiet.timeZone);
  return start < end ? at >= start && at < end : at >= start || at < end;
}
