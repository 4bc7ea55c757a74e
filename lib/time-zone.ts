/**
 * The viewer's time zone, shared by the server render and the browser. The browser keeps its
 * IANA zone in a cookie; the server formats dates in that zone, so the page it sends reads
 * the same as the page the browser hydrates. Without the cookie (a first visit) both start
 * in UTC, and the browser switches to its own zone once it has hydrated.
 */
export const TIME_ZONE_COOKIE = "tz";
export const DEFAULT_TIME_ZONE = "UTC";

/** IANA names are short ("America/Argentina/ComodRivadavia" is among the longest). */
const MAX_TIME_ZONE_LENGTH = 64;

/** The zone's canonical name if the runtime knows it, else null (the cookie is user input). */
export function validTimeZone(value: string | undefined | null): string | null {
  if (!value || value.length > MAX_TIME_ZONE_LENGTH) return null;
  try {
    return new Intl.DateTimeFormat("en", { timeZone: value }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
}

/** The browser's own zone. */
export function browserTimeZone(): string {
  return validTimeZone(Intl.DateTimeFormat().resolvedOptions().timeZone) ?? DEFAULT_TIME_ZONE;
}

/** Stores the browser's zone for the server's next render, for a year. */
export function rememberTimeZone(timeZone: string): void {
  const current = document.cookie
    .split("; ")
    .find((entry) => entry.startsWith(`${TIME_ZONE_COOKIE}=`))
    ?.slice(TIME_ZONE_COOKIE.length + 1);
  if (current && decodeURIComponent(current) === timeZone) return;
  const secure = location.protocol === "https:" ? "; secure" : "";
  document.cookie = `${TIME_ZONE_COOKIE}=${encodeURIComponent(timeZone)}; path=/; max-age=31536000; samesite=lax${secure}`;
}
