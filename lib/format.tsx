"use client";

import { createContext, useContext, useEffect, useMemo, useState, type ReactNode } from "react";
import { browserTimeZone, DEFAULT_TIME_ZONE } from "./time-zone";

export type TimeFormat = "12h" | "24h";

interface FormatSettings {
  /** A BCP 47 language tag for dates and numbers, e.g. "en", "de". */
  locale: string;
  timeFormat: TimeFormat;
  /** The IANA zone moments are shown in (see `lib/time-zone.ts`). */
  timeZone: string;
}

const DEFAULT_SETTINGS: FormatSettings = {
  locale: "en",
  timeFormat: "24h",
  timeZone: DEFAULT_TIME_ZONE,
};

const FormatContext = createContext<FormatSettings>(DEFAULT_SETTINGS);

/**
 * The user's language, clock and time zone, for every date and number the signed-in area
 * shows. `timeZone` is the one the server rendered in (the browser's from its cookie, else
 * UTC): hydration uses it, so both renders agree, and the browser's own zone takes over
 * after hydration if it differs (a first visit, or a trip).
 */
export function FormatProvider({
  locale,
  timeFormat,
  timeZone: renderedTimeZone,
  children,
}: Partial<FormatSettings> & { children: ReactNode }) {
  const [timeZone, setTimeZone] = useState(renderedTimeZone ?? DEFAULT_SETTINGS.timeZone);
  useEffect(() => setTimeZone(browserTimeZone()), []);
  const value = useMemo(
    () => ({
      locale: locale ?? DEFAULT_SETTINGS.locale,
      timeFormat: timeFormat ?? DEFAULT_SETTINGS.timeFormat,
      timeZone,
    }),
    [locale, timeFormat, timeZone],
  );
  return <FormatContext.Provider value={value}>{children}</FormatContext.Provider>;
}

const RELATIVE_STEPS: [Intl.RelativeTimeFormatUnit, number][] = [
  ["second", 60],
  ["minute", 60],
  ["hour", 24],
  ["day", 7],
  ["week", 4.35],
  ["month", 12],
  ["year", Number.POSITIVE_INFINITY],
];

export interface Formatters {
  dateTime(value: Date | string | number): string;
  date(value: Date | string | number): string;
  time(value: Date | string | number): string;
  /** The clock time of a moment in another zone (someone's local time), in the viewer's format. */
  timeIn(value: Date | string | number, timeZone: string): string;
  /** A calendar day (`YYYY-MM-DD`), the same day in every zone. */
  day(day: string): string;
  /** The calendar day a moment falls on in the viewer's zone, as `YYYY-MM-DD`. */
  dayOf(value: Date | string | number): string;
  /**
   * The heading of a day in a conversation: "Today", "Yesterday" (in the viewer's language
   * and zone), else the date. `now` defaults to the current time.
   */
  dayHeading(value: Date | string | number, now?: number): string;
  /** Whether a moment falls on the viewer's today (`now` defaults to the current time). */
  isToday(value: Date | string | number, now?: number): boolean;
  /** "3 minutes ago", "in 2 days"; relative to `now` (defaults to the current time). */
  relative(value: Date | string | number, now?: number): string;
  number(value: number, options?: Intl.NumberFormatOptions): string;
  percent(value: number): string;
}

/** The calendar day before a `YYYY-MM-DD` day (days are counted in UTC: no zone shifts them). */
function dayBefore(day: string): string {
  const previous = new Date(`${day}T00:00:00Z`);
  previous.setUTCDate(previous.getUTCDate() - 1);
  return previous.toISOString().slice(0, 10);
}

export function createFormatters({ locale, timeFormat, timeZone }: FormatSettings): Formatters {
  // The 24-hour clock as 00–23 by name: `hour12: false` means 1–24 to Node's ICU ("24:13"
  // after midnight) and 0–23 to the browsers', so the server's render and hydration differed.
  const clock: Intl.DateTimeFormatOptions =
    timeFormat === "12h" ? { hour12: true } : { hourCycle: "h23" };
  const dateTime = new Intl.DateTimeFormat(locale, {
    dateStyle: "medium",
    timeStyle: "short",
    ...clock,
    timeZone,
  });
  const date = new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeZone });
  const time = new Intl.DateTimeFormat(locale, { timeStyle: "short", ...clock, timeZone });
  // A calendar day is not a moment: read and written in UTC, it is the same day everywhere.
  const day = new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeZone: "UTC" });
  // Canadian English writes dates as YYYY-MM-DD.
  const isoDay = new Intl.DateTimeFormat("en-CA", {
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    timeZone,
  });
  const relative = new Intl.RelativeTimeFormat(locale, { numeric: "auto" });
  const percent = new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: 1 });
  const toDate = (value: Date | string | number) =>
    value instanceof Date ? value : new Date(value);
  return {
    dateTime: (value) => dateTime.format(toDate(value)),
    date: (value) => date.format(toDate(value)),
    time: (value) => time.format(toDate(value)),
    timeIn: (value, zone) =>
      new Intl.DateTimeFormat(locale, { timeStyle: "short", ...clock, timeZone: zone }).format(
        toDate(value),
      ),
    day: (value) => day.format(new Date(`${value}T00:00:00Z`)),
    dayOf: (value) => isoDay.format(toDate(value)),
    isToday: (value, now = Date.now()) => isoDay.format(toDate(value)) === isoDay.format(now),
    dayHeading(value, now = Date.now()) {
      const on = isoDay.format(toDate(value));
      const today = isoDay.format(now);
      const offset = on === today ? 0 : on === dayBefore(today) ? -1 : null;
      if (offset === null) return date.format(toDate(value));
      const words = relative.format(offset, "day");
      return words.charAt(0).toLocaleUpperCase(locale) + words.slice(1);
    },
    relative(value, now = Date.now()) {
      let amount = (toDate(value).getTime() - now) / 1000;
      for (const [unit, size] of RELATIVE_STEPS) {
        if (Math.abs(amount) < size) return relative.format(Math.round(amount), unit);
        amount /= size;
      }
      return relative.format(Math.round(amount), "year");
    },
    number: (value, options) => new Intl.NumberFormat(locale, options).format(value),
    percent: (value) => percent.format(value),
  };
}

export function useFormatters(): Formatters {
  const settings = useContext(FormatContext);
  return useMemo(() => createFormatters(settings), [settings]);
}
