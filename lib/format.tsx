"use client";

import { createContext, useContext, useMemo, type ReactNode } from "react";

export type TimeFormat = "12h" | "24h";

interface FormatSettings {
  /** A BCP 47 language tag for dates and numbers, e.g. "en", "de". */
  locale: string;
  timeFormat: TimeFormat;
}

const DEFAULT_SETTINGS: FormatSettings = { locale: "en", timeFormat: "24h" };

const FormatContext = createContext<FormatSettings>(DEFAULT_SETTINGS);

/** The user's language and clock, for every date and number the signed-in area shows. */
export function FormatProvider({
  locale,
  timeFormat,
  children,
}: Partial<FormatSettings> & { children: ReactNode }) {
  const value = useMemo(
    () => ({
      locale: locale ?? DEFAULT_SETTINGS.locale,
      timeFormat: timeFormat ?? DEFAULT_SETTINGS.timeFormat,
    }),
    [locale, timeFormat],
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
  /** "3 minutes ago", "in 2 days"; relative to `now` (defaults to the current time). */
  relative(value: Date | string | number, now?: number): string;
  number(value: number, options?: Intl.NumberFormatOptions): string;
  percent(value: number): string;
}

export function createFormatters({ locale, timeFormat }: FormatSettings): Formatters {
  const hour12 = timeFormat === "12h";
  const dateTime = new Intl.DateTimeFormat(locale, {
    dateStyle: "medium",
    timeStyle: "short",
    hour12,
  });
  const date = new Intl.DateTimeFormat(locale, { dateStyle: "medium" });
  const time = new Intl.DateTimeFormat(locale, { timeStyle: "short", hour12 });
  const relative = new Intl.RelativeTimeFormat(locale, { numeric: "auto" });
  const percent = new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: 1 });
  const toDate = (value: Date | string | number) =>
    value instanceof Date ? value : new Date(value);
  return {
    dateTime: (value) => dateTime.format(toDate(value)),
    date: (value) => date.format(toDate(value)),
    time: (value) => time.format(toDate(value)),
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
