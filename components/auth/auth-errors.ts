/**
 * Better Auth's client reports failures as `{ status, code, message }`. These turn them into
 * words for the person at the form: specific where it helps (wrong password, suspended,
 * rate limited), never a stack trace.
 */

export interface AuthFailure {
  status?: number;
  code?: string | undefined;
  message?: string | undefined;
}

/** Seconds from a 429's `Retry-After` (or Better Auth's `X-Retry-After`) header. */
export function retryAfterSeconds(response: Response | undefined): number | null {
  const raw = response?.headers.get("Retry-After") ?? response?.headers.get("X-Retry-After");
  const seconds = raw ? Number.parseInt(raw, 10) : Number.NaN;
  return Number.isFinite(seconds) && seconds > 0 ? seconds : null;
}

export function rateLimitMessage(retryAfter: number | null): string {
  if (retryAfter === null) return "Too many attempts. Try again in a minute.";
  return `Too many attempts. Try again in ${retryAfter} ${retryAfter === 1 ? "second" : "seconds"}.`;
}

export function authErrorMessage(
  failure: AuthFailure,
  retryAfter: number | null,
  fallback: string,
): string {
  if (failure.status === 429) return rateLimitMessage(retryAfter);
  if (failure.code === "INVALID_EMAIL_OR_PASSWORD") return "Invalid email or password";
  if (failure.status === 0 || failure.code === "FAILED_TO_FETCH") {
    return "Parley could not be reached. Check your connection and try again.";
  }
  if (failure.status !== undefined && failure.status >= 500) return fallback;
  return failure.message?.trim() ? failure.message : fallback;
}

/**
 * Fetch options that remember the `Retry-After` of a failed call, for `authErrorMessage`.
 * Usage: `const retry = rememberRetryAfter(); await authClient.x(body, retry.fetchOptions)`.
 */
export function rememberRetryAfter() {
  let seconds: number | null = null;
  return {
    fetchOptions: {
      onError(context: { response: Response }) {
        seconds = retryAfterSeconds(context.response);
      },
    },
    get seconds() {
      return seconds;
    },
  };
}
