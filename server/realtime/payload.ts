import "server-only";

/** A client payload as an object: anything else a client sends reads as empty. */
export const asRecord = (value: unknown): Record<string, unknown> =>
  value && typeof value === "object" && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};

/** A config flag, whether the client sent it as a boolean or as a string. */
export const truthy = (value: unknown) => value === true || value === "true";
