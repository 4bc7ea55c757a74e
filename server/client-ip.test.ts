import { describe, expect, it } from "vitest";
import { resolveClientIp } from "./client-ip";

const none = new Set<string>();
const proxy = new Set(["10.0.0.1", "10.0.0.2"]);

describe("resolveClientIp", () => {
  it("uses the socket address when no proxy is trusted, whatever the header says", () => {
    expect(resolveClientIp("203.0.113.9", "1.2.3.4", none)).toBe("203.0.113.9");
  });

  it("ignores the header from a peer that is not a trusted proxy", () => {
    expect(resolveClientIp("203.0.113.9", "1.2.3.4", proxy)).toBe("203.0.113.9");
  });

  it("takes the last untrusted hop behind trusted proxies", () => {
    expect(resolveClientIp("10.0.0.1", "6.6.6.6, 198.51.100.7, 10.0.0.2", proxy)).toBe(
      "198.51.100.7",
    );
  });

  it("normalizes IPv4-mapped IPv6 addresses", () => {
    expect(resolveClientIp("::ffff:203.0.113.9", undefined, none)).toBe("203.0.113.9");
    expect(resolveClientIp("::ffff:10.0.0.1", "198.51.100.7", proxy)).toBe("198.51.100.7");
  });

  it("skips entries that are not addresses", () => {
    expect(resolveClientIp("10.0.0.1", "garbage, 198.51.100.7", proxy)).toBe("198.51.100.7");
  });
});
