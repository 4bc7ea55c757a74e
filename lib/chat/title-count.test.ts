import { describe, expect, it } from "vitest";
import { stripCount, titleWithCount } from "./title-count";

describe("titleWithCount", () => {
  it("puts the unread total in front of the page's title", () => {
    expect(titleWithCount("Chat · Parley", 3)).toBe("(3) Chat · Parley");
  });

  it("replaces a count already there instead of stacking", () => {
    expect(titleWithCount("(3) Chat · Parley", 4)).toBe("(4) Chat · Parley");
    expect(titleWithCount("(99+) Chat · Parley", 2)).toBe("(2) Chat · Parley");
  });

  it("caps at 99+ and drops the count at zero", () => {
    expect(titleWithCount("Parley", 250)).toBe("(99+) Parley");
    expect(titleWithCount("(5) Parley", 0)).toBe("Parley");
  });

  it("leaves a title that merely starts with parentheses alone", () => {
    expect(stripCount("(draft) Notes")).toBe("(draft) Notes");
    expect(stripCount("(12) Notes")).toBe("Notes");
  });
});
