import { sha1 } from "@noble/hashes/legacy.js";
import { utf8ToBytes } from "@noble/hashes/utils.js";

/**
 * The id of the message a send with an idempotency key creates: a name-based UUID (version 5
 * layout, SHA-1) of the sender and the key. A retry by the same sender finds the same message;
 * the same key from anyone else is another id, so a key can never name, or collide with,
 * someone else's message — not even to learn that it exists. Computed the same way in the
 * browser, which shows a message it is sending under the id it will be stored with.
 */
export function messageIdFor(senderId: string, idempotencyKey: string): string {
  const bytes = sha1(utf8ToBytes(`parley:message:${senderId}:${idempotencyKey}`)).subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x50;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
