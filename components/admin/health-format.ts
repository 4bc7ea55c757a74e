import type { Formatters } from "@/lib/format";

/** "45 s", "12 min", "3 h 5 min": how long a transaction has been open. */
export function formatSeconds(format: Formatters, seconds: number): string {
  if (seconds < 60) return `${format.number(Math.floor(seconds))} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${format.number(minutes)} min`;
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return rest
    ? `${format.number(hours)} h ${format.number(rest)} min`
    : `${format.number(hours)} h`;
}

/** A share as a percentage with up to two decimals: a cache at 99.87% is not at 100%. */
export function formatRatio(format: Formatters, ratio: number | null): string {
  if (ratio === null) return "—";
  return format.number(ratio, { style: "percent", maximumFractionDigits: 2 });
}
