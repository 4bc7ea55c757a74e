import "server-only";

import { type AppError, HTTP_STATUS, retryAfterSeconds } from "@/server/errors";

/**
 * The one error shape of Parley's HTTP endpoints outside tRPC:
 * `{ "error": { "code", "message", "details"? } }` with the status `AppError`'s code maps to.
 */
export function errorResponse(error: AppError, headers: Headers = new Headers()): Response {
  headers.set("content-type", "application/json");
  headers.set("cache-control", "no-store");
  const retryAfter = retryAfterSeconds(error);
  if (retryAfter !== null) headers.set("retry-after", String(retryAfter));
  const body: { error: { code: string; message: string; details?: unknown } } = {
    error: { code: error.code, message: error.message },
  };
  if (error.details !== undefined) body.error.details = error.details;
  return new Response(JSON.stringify(body), { status: HTTP_STATUS[error.code], headers });
}
