/** How long a status lasts, as the status dialog offers it. */
export const STATUS_DURATIONS = [
  { value: "never", label: "Don't clear" },
  { value: "30m", label: "30 minutes" },
  { value: "1h", label: "1 hour" },
  { value: "4h", label: "4 hours" },
  { value: "today", label: "Today" },
  { value: "week", label: "This week" },
] as const;
export type StatusDuration = (typeof STATUS_DURATIONS)[number]["value"];

/** When a status chosen at `now` for `duration` ends: the end of today or of Sunday, locally. */
export function statusExpiry(duration: StatusDuration, now = new Date()): Date | null {
  const minutes = { "30m": 30, "1h": 60, "4h": 240 } as const;
  if (duration === "never") return null;
  if (duration in minutes) {
    return new Date(now.getTime() + minutes[duration as keyof typeof minutes] * 60_000);
  }
  const end = new Date(now);
  end.setHours(23, 59, 59, 0);
  if (duration === "week") end.setDate(end.getDate() + ((7 - end.getDay()) % 7));
  return end;
}
