import { TRPCClientError } from "@trpc/client";

const MAX_RETRIES = 3;

/**
 * Whether a failed query is tried again: only when trying again can help, because no answer
 * came (the connection dropped) or the server failed (5xx). An answer in the 4xx range (not
 * found, forbidden, invalid input, a rate limit) is final, and the page shows it at once
 * rather than a loading state through seconds of back-off.
 */
export function shouldRetryQuery(failureCount: number, error: unknown): boolean {
  if (failureCount >= MAX_RETRIES) return false;
  if (!(error instanceof TRPCClientError)) return true;
  const status = (error.data as { httpStatus?: number } | undefined)?.httpStatus;
  return status === undefined || status >= 500;
}
