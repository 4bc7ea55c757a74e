import "server-only";

import { TRPCError } from "@trpc/server";
import { isConnectionError } from "@/db/connection-loss";

/**
 * The one application error. Services throw it; tRPC and REST v1 turn it into their own
 * shapes through the tables below, so a code means the same thing on every path.
 */
export const APP_ERROR_CODES = [
  "BAD_REQUEST",
  "UNAUTHORIZED",
  "FORBIDDEN",
  "NOT_FOUND",
  "METHOD_NOT_SUPPORTED",
  "CONFLICT",
  "PAYLOAD_TOO_LARGE",
  "UNSUPPORTED_MEDIA_TYPE",
  "UNPROCESSABLE_CONTENT",
  "TOO_MANY_REQUESTS",
  "INTERNAL_SERVER_ERROR",
  "SERVICE_UNAVAILABLE",
] as const;
export type AppErrorCode = (typeof APP_ERROR_CODES)[number];

export class AppError extends Error {
  override readonly name = "AppError";
  constructor(
    readonly code: AppErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

export const HTTP_STATUS: Record<AppErrorCode, number> = {
  BAD_REQUEST: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  METHOD_NOT_SUPPORTED: 405,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  UNPROCESSABLE_CONTENT: 422,
  TOO_MANY_REQUESTS: 429,
  INTERNAL_SERVER_ERROR: 500,
  SERVICE_UNAVAILABLE: 503,
};

/** tRPC has a code for every AppError code; the names are shared on purpose. */
export const TRPC_CODE: Record<AppErrorCode, TRPCError["code"]> = {
  BAD_REQUEST: "BAD_REQUEST",
  UNAUTHORIZED: "UNAUTHORIZED",
  FORBIDDEN: "FORBIDDEN",
  NOT_FOUND: "NOT_FOUND",
  METHOD_NOT_SUPPORTED: "METHOD_NOT_SUPPORTED",
  CONFLICT: "CONFLICT",
  PAYLOAD_TOO_LARGE: "PAYLOAD_TOO_LARGE",
  UNSUPPORTED_MEDIA_TYPE: "UNSUPPORTED_MEDIA_TYPE",
  UNPROCESSABLE_CONTENT: "UNPROCESSABLE_CONTENT",
  TOO_MANY_REQUESTS: "TOO_MANY_REQUESTS",
  INTERNAL_SERVER_ERROR: "INTERNAL_SERVER_ERROR",
  SERVICE_UNAVAILABLE: "SERVICE_UNAVAILABLE",
};

/** How long a caller is asked to wait (`Retry-After`) when the database cannot be reached. */
export const UNAVAILABLE_RETRY_AFTER_SECONDS = 2;

/** The 503 for a request that failed because the database connection was lost or refused. */
export function serviceUnavailable(): AppError {
  return new AppError(
    "SERVICE_UNAVAILABLE",
    "Parley cannot reach its database right now. Try again in a moment.",
    { retryAfterSeconds: UNAVAILABLE_RETRY_AFTER_SECONDS },
  );
}

/** The `Retry-After` an error asks for, in seconds, if any (429 and 503). */
export function retryAfterSeconds(error: AppError): number | null {
  if (error.code !== "TOO_MANY_REQUESTS" && error.code !== "SERVICE_UNAVAILABLE") return null;
  const seconds = (error.details as { retryAfterSeconds?: unknown } | undefined)?.retryAfterSeconds;
  return typeof seconds === "number" ? seconds : null;
}

/**
 * A `.catch` for a write that a limit the database holds to may refuse (SQLSTATE 54000,
 * raised by Parley's triggers): the refusal in the caller's words, anything else as it was.
 */
export function refusedOverLimit(message: string) {
  return (error: unknown): never => {
    if (sqlState(error) === "54000") throw new AppError("UNPROCESSABLE_CONTENT", message);
    throw error;
  };
}

/** Postgres SQLSTATEs that bad input can cause, and what they mean to a caller. */
const SQLSTATE: Record<string, { code: AppErrorCode; message: string }> = {
  "23505": { code: "CONFLICT", message: "A record with these values already exists" },
  "23503": { code: "BAD_REQUEST", message: "A referenced record does not exist" },
  "23514": { code: "BAD_REQUEST", message: "A value is out of its allowed range" },
  "23502": { code: "BAD_REQUEST", message: "A required value is missing" },
  "22P02": { code: "BAD_REQUEST", message: "A value has the wrong format" },
  "22001": { code: "BAD_REQUEST", message: "A value is too long" },
  "42501": { code: "FORBIDDEN", message: "You are not allowed to do that" },
  // A NUL (U+0000) in text (22021) or in a JSON string (22P05): Postgres stores neither.
  "22021": { code: "BAD_REQUEST", message: "Text may not contain the NUL character (U+0000)" },
  "22P05": { code: "BAD_REQUEST", message: "Text may not contain the NUL character (U+0000)" },
  "22008": { code: "BAD_REQUEST", message: "A date is outside the range Parley can store" },
  "22003": { code: "BAD_REQUEST", message: "A number is outside its allowed range" },
  // A statement past DATABASE_STATEMENT_TIMEOUT: the database's limit, not the caller's fault.
  "57014": {
    code: "SERVICE_UNAVAILABLE",
    message: "The database took too long to answer. Try again in a moment.",
  },
};

/** SQLSTATEs Parley's own functions and triggers raise, with messages written for people. */
const RAISED: Record<string, AppErrorCode> = {
  "22023": "BAD_REQUEST",
  P0002: "NOT_FOUND",
};

/** The SQLSTATE an error carries (through Drizzle's wrapping), if any. */
export function sqlState(error: unknown): string | undefined {
  // Drizzle wraps driver errors; walk the cause chain to the one carrying a SQLSTATE.
  for (let e: unknown = error, depth = 0; e && depth < 5; depth++) {
    if (
      typeof e === "object" &&
      "code" in e &&
      typeof e.code === "string" &&
      /^[0-9A-Z]{5}$/.test(e.code)
    ) {
      return e.code;
    }
    e = typeof e === "object" && "cause" in e ? e.cause : undefined;
  }
  return undefined;
}

/** The message a database error was raised with (through Drizzle's wrapping), if any. */
export function databaseMessage(error: unknown): string | undefined {
  for (let e: unknown = error, depth = 0; e && depth < 5; depth++) {
    if (typeof e === "object" && "code" in e && "message" in e && typeof e.message === "string") {
      return e.message;
    }
    e = typeof e === "object" && "cause" in e ? e.cause : undefined;
  }
  return undefined;
}

/** Turns anything thrown into an AppError; unknown failures become INTERNAL_SERVER_ERROR. */
export function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  if (isConnectionError(error)) return serviceUnavailable();
  const state = sqlState(error);
  const raised = state ? RAISED[state] : undefined;
  if (raised) return new AppError(raised, databaseMessage(error) ?? "Invalid request");
  const known = state ? SQLSTATE[state] : undefined;
  if (known) return new AppError(known.code, known.message);
  return new AppError("INTERNAL_SERVER_ERROR", "Internal server error");
}

/** The tRPC error for a failure, keeping the AppError (and its details) as the cause. */
export function toTRPCError(error: unknown): TRPCError {
  if (
    error instanceof TRPCError &&
    !(error.cause instanceof AppError) &&
    error.code !== "INTERNAL_SERVER_ERROR"
  ) {
    return error;
  }
  const original = error instanceof TRPCError ? (error.cause ?? error) : error;
  const appError = toAppError(original);
  return new TRPCError({
    code: TRPC_CODE[appError.code],
    message: appError.message,
    cause: appError.code === "INTERNAL_SERVER_ERROR" ? original : appError,
  });
}
