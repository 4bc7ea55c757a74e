import "server-only";

/** Deeper than this, a value is cut (cycles end here too). */
const MAX_DEPTH = 32;

/**
 * A JSON value Postgres will store in `jsonb`: what `JSON.stringify` would keep, with the NUL
 * character (U+0000) removed from strings and keys (jsonb refuses it), non-finite numbers as
 * null, and nothing nested deeper than a bound; `null` when the result is longer than
 * `maxChars`. For values built from a request (audit details, queued work), which must never
 * be what makes their own write fail.
 */
export function storableJson(value: unknown, maxChars: number): unknown {
  const clean = cleaned(value, 0);
  const text = JSON.stringify(clean);
  return text === undefined || text.length > maxChars ? null : clean;
}

function cleaned(value: unknown, depth: number): unknown {
  if (typeof value === "string") return value.replaceAll("\u0000", "");
  if (typeof value === "number") return Number.isFinite(value) ? value : null;
  if (typeof value === "boolean" || value === null) return value;
  if (typeof value !== "object" || depth >= MAX_DEPTH) return null;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (Array.isArray(value)) return value.map((item) => cleaned(item, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    if (inner === undefined || typeof inner === "function" || typeof inner === "symbol") continue;
    out[key.replaceAll("\u0000", "")] = cleaned(inner, depth + 1);
  }
  return out;
}

/** `text` without NUL and other control characters, at most `max` characters. */
export function storableText(text: string, max: number): string {
  // eslint-disable-next-line no-control-regex -- control characters are what this removes
  const clean = text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, "");
  return clean.length > max ? clean.slice(0, max) : clean;
}
