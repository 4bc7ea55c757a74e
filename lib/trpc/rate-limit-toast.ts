import { TRPCClientError } from "@trpc/client";
import { toast } from "sonner";

/**
 * Tells the person, once however many calls were refused at the same moment, that they hit
 * a rate limit (429, `TOO_MANY_REQUESTS`), with the server's own words: what, and for how long.
 */
export function toastIfRateLimited(error: unknown): void {
  if (!(error instanceof TRPCClientError)) return;
  const data = error.data as { code?: string } | undefined;
  if (data?.code !== "TOO_MANY_REQUESTS") return;
  toast.error(error.message, { id: "rate-limited" });
}
