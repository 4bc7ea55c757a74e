import type { Formatters } from "@/lib/format";

/** A UTC day (`YYYY-MM-DD`) as a short label that does not shift with the viewer's zone. */
export function dayLabel(format: Formatters, day: string): string {
  return format.date(new Date(`${day}T12:00:00Z`));
}
