import "server-only";

import { randomBytes } from "node:crypto";

/**
 * Storage paths are made by the server, never from a client's filename:
 * `chats/<chatId>/<userId>/<yyyyMMdd_HHmmss>_<random>.<ext>` (seed 000's layout).
 */
export function attachmentPath(
  chatId: string,
  userId: string,
  ext: string,
  now = new Date(),
): string {
  const stamp = now.toISOString().replace(/[-:]/g, "").replace("T", "_").slice(0, 15);
  return `chats/${chatId}/${userId}/${stamp}_${randomBytes(8).toString("hex")}.${ext}`;
}

/** The thumbnail that goes with an image's path. */
export function thumbnailPath(path: string): string {
  return path.replace(/\.[a-z0-9]+$/, "") + "_thumb.webp";
}

const SAFE_SEGMENT = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** A path a driver accepts: relative, plain segments, no `..`, no control characters. */
export function isSafeObjectPath(path: string): boolean {
  const segments = path.split("/");
  return (
    path.length <= 512 &&
    segments.length > 0 &&
    segments.every((s) => SAFE_SEGMENT.test(s) && s !== "." && s !== "..")
  );
}

/**
 * The name shown and offered on download: the client's name with directories, control
 * characters and path tricks removed, at most 255 characters, never empty.
 */
export function sanitizeFileName(name: string): string {
  const base = name.replace(/\\/g, "/").split("/").pop() ?? "";
  const cleaned = base
    // eslint-disable-next-line no-control-regex -- control characters are what this removes
    .replace(/[\u0000-\u001f\u007f]/g, "")
    .replace(/[<>:"|?*]/g, "_")
    .replace(/^\.+/, "")
    .trim();
  const trimmed = cleaned.length > 255 ? cleaned.slice(cleaned.length - 255) : cleaned;
  return trimmed || "file";
}
