import { describe, expect, it } from "vitest";
import { initials } from "./avatar";

describe("initials", () => {
  it("takes the first and last words that start with a letter", () => {
    expect(initials("Design review 56363")).toBe("DR");
    expect(initials("Ann 12345")).toBe("A");
    expect(initials("alice bob carol")).toBe("AC");
    expect(initials("  Émile   Zola ")).toBe("ÉZ");
    expect(initials("#general 2026 launch")).toBe("L");
  });

  it("falls back to the first and last words, and to ? for nothing", () => {
    expect(initials("42 17")).toBe("41");
    expect(initials("   ")).toBe("?");
    expect(initials("😀 party")).toBe("P");
  });
});
