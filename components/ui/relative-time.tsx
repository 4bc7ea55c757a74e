"use client";

import { useFormatters } from "@/lib/format";

/**
 * A moment as "3 hours ago", with the full date and time on hover. The server render and the
 * hydration are moments apart, so the relative text may differ between them: the one
 * element whose hydration warning is suppressed.
 */
export function RelativeTime({ value, className }: { value: Date; className?: string }) {
  const format = useFormatters();
  return (
    <time
      dateTime={value.toISOString()}
      title={format.dateTime(value)}
      className={className}
      suppressHydrationWarning
    >
      {format.relative(value)}
    </time>
  );
}
