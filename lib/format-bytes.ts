import type { Formatters } from "./format";

const UNITS = ["kilobyte", "megabyte", "gigabyte", "terabyte"] as const;

/**
 * "512 B", "1.5 MB": decimal units, as the kB and MB symbols mean, each written as its
 * symbol (Intl has none for bytes in English, where it writes "512 byte").
 */
export function formatBytes(format: Formatters, bytes: number): string {
  if (bytes < 1000) return `${format.number(bytes)} B`;
  let value = bytes / 1000;
  let unit = 0;
  while (value >= 1000 && unit < UNITS.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return format.number(value, {
    style: "unit",
    unit: UNITS[unit],
    unitDisplay: "short",
    maximumFractionDigits: 1,
  });
}
