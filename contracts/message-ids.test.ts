import { createHash } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isUuid } from "./uuid";
import { messageIdFor } from "./message-ids";

/** The derivation written with Node's own SHA-1: what the browser's must agree with. */
function withNodeCrypto(senderId: string, key: string): string {
  const bytes = createHash("sha1")
    .update(`parley:message:${senderId}:${key}`, "utf8")
    .digest()
    .subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x50;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

describe("messageIdFor", () => {
  it("agrees with Node's SHA-1 for any sender and key", () => {
    fc.assert(
      fc.property(fc.uuid(), fc.string({ unit: "grapheme", maxLength: 300 }), (sender, key) => {
        const id = messageIdFor(sender, key);
        expect(id).toBe(withNodeCrypto(sender, key));
        expect(isUuid(id)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it("keeps the ids stored before it (a REST retry after an upgrade finds its message)", () => {
    expect(messageIdFor("00000000-0000-4000-8000-000000000001", "order-42")).toBe(
      "28d341b6-7b70-517b-aaa9-5acd42b9032b",
    );
  });

  it("gives one key another id for every sender", () => {
    fc.assert(
      fc.property(fc.uuid(), fc.uuid(), fc.uuid(), (a, b, key) => {
        fc.pre(a !== b);
        expect(messageIdFor(a, key)).not.toBe(messageIdFor(b, key));
      }),
    );
  });
});
