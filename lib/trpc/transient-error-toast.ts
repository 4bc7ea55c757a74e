import { TRPCClientError } from "@trpc/client";
import { toast } from "sonner";

/**
 * Failures that say "not now" rather than "no": a rate limit (429, `TOO_MANY_REQUESTS`) and
 * a server that cannot reach its database for a moment (503, `SERVICE_UNAVAILABLE`). Each is
 * told once, however many calls failed at the same moment, in the server's own words: what
 * happened, and when to try again.
 */
const TRANSIENT = new Set(["TOO_MANY_REQUESTS", "SERVICE_UNAVAILABLE"]);

/**
 * Whether a call failed only for now: the request never got an answer (the connection is
 * down), or the answer was a 429 or 503. Sent again later, it may well go through.
 */
export function isTransientFailure(error: unknown): boolean {
  if (!(error instanceof TRPCClientError)) return error instanceof TypeError;
  const code = (error.data as { code?: string } | undefined)?.code;
  return code === undefined || TRANSIENT.has(code);
}

export function toastIfTransient(error: unknown): void {
  if (!(error instanceof TRPCClientError)) return;
  const code = (error.data as { code?: string } | undefined)?.code;
  if (!code || !TRANSIENT.has(code)) return;
  toast.error(error.message, { id: code });
}
