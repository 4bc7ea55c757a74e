import "server-only";

import { createHmac, hkdfSync, timingSafeEqual } from "node:crypto";
import { isUuid } from "@/contracts/uuid";
import { resolveAuthSecret } from "@/server/auth-secret";

/**
 * The one-click unsubscribe link in digest mail (RFC 8058) acts without signing in, so it
 * carries a token only the server can make: the user's id and an HMAC of it under a key
 * derived from the auth secret. It does one thing, turn the digests off, so it does not
 * expire: an old mail's link must still work.
 */
let key: Buffer | undefined;

function unsubscribeKey(): Buffer {
  key ??= Buffer.from(
    hkdfSync("sha256", resolveAuthSecret(), "parley", "parley unsubscribe v1", 32),
  );
  return key;
}

const mac = (userId: string) =>
  createHmac("sha256", unsubscribeKey()).update(`digest:${userId}`).digest("base64url");

export function unsubscribeToken(userId: string): string {
  return `${userId}.${mac(userId)}`;
}

/** The user a token was made for, or null for anything the server did not make. */
export function userOfUnsubscribeToken(token: string): string | null {
  const [userId, signature, extra] = token.split(".");
  if (!userId || !signature || extra !== undefined || !isUuid(userId)) return null;
  const expected = Buffer.from(mac(userId));
  const given = Buffer.from(signature);
  return given.length === expected.length && timingSafeEqual(given, expected) ? userId : null;
}
