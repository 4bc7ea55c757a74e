"use client";

import { useFormatters } from "@/lib/format";

/** A time in the reader's own time zone (see `FormatProvider`). */
export function LocalTime({ value }: { value: string }) {
  const format = useFormatters();
  return <time dateTime={value}>{format.dateTime(value)}</time>;
}
