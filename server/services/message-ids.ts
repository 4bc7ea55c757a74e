import "server-only";

import { createHash } from "node:crypto";

/**
 * The id of the message a REST v1 send with an `Idempotency-Key` creates: a name-based UUID
 * (version 5 layout, SHA-1) of the sender and the key. A retry by the same sender finds the
 * same message; the same key from anyone else is another id, so a key can never name, or
 * collide with, someone else's message — not even to learn that it exists.
 */
export function idempotentMessageId(senderId: string, idempotencyKey: string): string {
  const bytes = createHash("sha1")
    .update(`parley:message:${senderId}:${idempotencyKey}`, "utf8")
    .digest()
    .subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x50;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
