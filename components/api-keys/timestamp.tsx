"use client";

import { useFormatters } from "@/lib/format";
import { RelativeTime } from "@/components/ui/relative-time";

/** A moment as "3 hours ago" (`RelativeTime`) or in full, or `fallback` when there is none. */
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
  if (relative) return <RelativeTime value={value} className="whitespace-nowrap" />;
  return (
    <time dateTime={value.toISOString()} className="whitespace-nowrap">
      {format.dateTime(value)}
    </time>
  );
}
