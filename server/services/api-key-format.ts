import "server-only";

import { createHash, randomInt } from "node:crypto";

const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const PUBLIC_ID_LENGTH = 8;
const SECRET_LENGTH = 40;
const KEY_PATTERN = /^prl_([0-9A-Za-z]{8})_([0-9A-Za-z]{32,128})$/;

function randomBase62(length: number): string {
  // randomInt is uniform (no modulo bias) and cryptographically strong.
  return Array.from({ length }, () => BASE62[randomInt(BASE62.length)]).join("");
}

export function hashApiKey(key: string): string {
  return createHash("sha256").update(key, "utf8").digest("hex");
}

/** A new key: `prl_<8-char public id>_<40-char secret>`, with what is stored of it. */
export function generateApiKey(): { key: string; prefix: string; hash: string } {
  const prefix = randomBase62(PUBLIC_ID_LENGTH);
  const key = `prl_${prefix}_${randomBase62(SECRET_LENGTH)}`;
  return { key, prefix, hash: hashApiKey(key) };
}

/** The public id of a well-formed key, or null. */
export function parseApiKey(key: string): { prefix: string } | null {
  const match = KEY_PATTERN.exec(key);
  return match?.[1] ? { prefix: match[1] } : null;
}
