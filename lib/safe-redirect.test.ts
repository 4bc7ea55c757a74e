import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { hasControlCharacter, safeRedirectPath } from "./utils";

const FALLBACK = "/dashboard";

describe("safeRedirectPath", () => {
  it("keeps a same-origin path with its query and fragment", () => {
    expect(safeRedirectPath("/chat/abc?x=1#m")).toBe("/chat/abc?x=1#m");
    expect(safeRedirectPath("/settings/security")).toBe("/settings/security");
  });

  it("refuses every spelling of another host", () => {
    for (const value of [
      "//evil.example",
      "/\\evil.example",
      "/\t/evil.example",
      "/%09/evil.example".replace("%09", "\t"),
      "/\n/evil.example",
      "/\r\n/evil.example",
      "\\/evil.example",
      "http://evil.example",
      "https:evil.example",
      "javascript:alert(1)",
      "/.//evil.example",
      "",
      undefined,
      null,
    ]) {
      expect(safeRedirectPath(value), JSON.stringify(value)).toBe(FALLBACK);
    }
  });

  it("returns, for any input, the fallback or a path a browser keeps on this origin", () => {
    const base = "https://parley.example";
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ unit: "binary" }),
          fc.string().map((s) => `/${s}`),
          fc
            .constantFrom("/", "//", "/\\", "\t", "\n", "%2f", "%09", "\\", ".", "@", ":")
            .chain((start) =>
              fc
                .array(fc.constantFrom("/", "\\", "\t", "\n", "evil.example", "%2F", ".", "@"))
                .map((parts) => start + parts.join("")),
            ),
        ),
        (value) => {
          const result = safeRedirectPath(value);
          if (result === FALLBACK) return;
          expect(result.startsWith("/")).toBe(true);
          expect(result.startsWith("//")).toBe(false);
          expect(hasControlCharacter(result)).toBe(false);
          expect(new URL(result, base).origin).toBe(base);
        },
      ),
      { numRuns: 2000 },
    );
  });
});
