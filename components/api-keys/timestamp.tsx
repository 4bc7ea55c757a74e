"use client";

import { useFormatters } from "@/lib/format";

/**
 * A moment as "3 hours ago" with the full date and time on hover, or `fallback` when there is
 * none. The server render and the hydration are moments apart, so a relative text is allowed
 * to differ between them.
 */
export function Timestamp({
  value,
  fallback = "Never",
  relative = true,
}: {
  value: Date | null;
  fallback?: string;
  relative?: boolean;
}) {
  const format = useFormatters();
  if (!value) return <span className="text-muted-foreground">{fallback}</span>;
  return (
    <time
      dateTime={value.toISOString()}
      title={format.dateTime(value)}
      suppressHydrationWarning
      className="whitespace-nowrap"
    >
      {relative ? format.relative(value) : format.dateTime(value)}
    </time>
  );
}
