import "server-only";

/**
 * The client address a new session records: the one Parley's HTTP layer pinned in
 * `X-Forwarded-For` (server/http/handler.ts), as the audit log records it. Better Auth's own
 * reading keeps only an IPv6 address's /64 prefix (what its rate limits key on), so every
 * session from `::1` read `0000:0000:0000:0000:0000:0000:0000:0000`.
 */
export function sessionAddress(
  recorded: string | null | undefined,
  headers: Headers | null | undefined,
): string | null {
  return headers?.get("x-forwarded-for")?.trim() || recorded || null;
}
