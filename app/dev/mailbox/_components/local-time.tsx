"use client";

import { useFormatters } from "@/lib/format";

/** A time in the reader's own time zone; the server's rendering may differ, so no warning. */
export function LocalTime({ value }: { value: string }) {
  const format = useFormatters();
  return (
    <time dateTime={value} suppressHydrationWarning>
      {format.dateTime(value)}
    </time>
  );
}
