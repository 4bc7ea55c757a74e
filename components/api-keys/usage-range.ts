export const USAGE_DAYS = 30;
const DAY_MS = 86_400_000;

export interface UsageRange {
  from: Date;
  to: Date;
  /** Each day of the range, `YYYY-MM-DD`, oldest first. */
  days: string[];
}

/**
 * The last 30 UTC days up to the end of today. The same all day long: the usage query's key
 * (which holds `from` and `to`) is the same whenever it is asked for that day, so the request
 * started when the pointer reaches the Usage button is the one the dialog shows.
 */
export function lastDays(now: Date = new Date()): UsageRange {
  const today = new Date(now);
  today.setUTCHours(0, 0, 0, 0);
  const from = new Date(today.getTime() - (USAGE_DAYS - 1) * DAY_MS);
  const days = Array.from({ length: USAGE_DAYS }, (_, i) =>
    new Date(from.getTime() + i * DAY_MS).toISOString().slice(0, 10),
  );
  return { from, to: new Date(today.getTime() + DAY_MS - 1), days };
}
