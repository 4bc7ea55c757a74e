import { clsx, type ClassValue } from "clsx";
import { twMerge } from "tailwind-merge";

export function cn(...inputs: ClassValue[]): string {
  return twMerge(clsx(inputs));
}

const PROBE_ORIGIN = "http://parley.invalid";

/** Whether text holds a C0 control character or DEL, which no path or header should. */
export function hasControlCharacter(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}

/**
 * A same-origin path to return to after sign-in, or `fallback`. The value is resolved the way
 * a browser resolves a `Location` (which drops tabs and newlines and reads `\` as `/`, so
 * `/\t/evil.example` is `//evil.example`), and kept only if it stays on this origin. What is
 * returned is the parser's own path, query and fragment: nothing a browser could read as
 * another host, and no control character.
 */
export function safeRedirectPath(
  value: string | null | undefined,
  fallback = "/dashboard",
): string {
  if (!value || !value.startsWith("/")) return fallback;
  let url: URL;
  try {
    url = new URL(value, PROBE_ORIGIN);
  } catch {
    return fallback;
  }
  if (url.origin !== PROBE_ORIGIN) return fallback;
  const path = `${url.pathname}${url.search}${url.hash}`;
  // The path itself may start with "//" (e.g. "/.//evil"), which a browser would read as a host.
  if (path.startsWith("//") || hasControlCharacter(path)) return fallback;
  return path;
}

/** A text field of a submitted form ("" when absent or a file). */
export function formText(form: FormData, name: string): string {
  const value = form.get(name);
  return typeof value === "string" ? value : "";
}
