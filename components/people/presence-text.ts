import type { Formatters } from "@/lib/format";

/** "Last seen today at 13:10", "Last seen yesterday at 22:04", "Last seen 3 Dec 2026". */
export function lastSeenText(format: Formatters, at: Date): string {
  const day = format.dayHeading(at);
  return day === format.date(at)
    ? `Last seen ${day}`
    : `Last seen ${day.toLocaleLowerCase()} at ${format.time(at)}`;
}
