import { describe, expect, it } from "vitest";
import { nestsDeeperThan } from "./input-depth";

const nested = (depth: number): unknown => {
  let value: unknown = "leaf";
  for (let i = 0; i < depth; i++) value = i % 2 ? [value] : { key: value };
  return value;
};

describe("nestsDeeperThan", () => {
  it("counts arrays and objects, not scalars", () => {
    expect(nestsDeeperThan("text", 0)).toBe(false);
    expect(nestsDeeperThan(null, 0)).toBe(false);
    expect(nestsDeeperThan({}, 0)).toBe(true);
    expect(nestsDeeperThan(nested(32), 32)).toBe(false);
    expect(nestsDeeperThan(nested(33), 32)).toBe(true);
  });

  it("measures a value far deeper than the stack would allow recursion into", () => {
    expect(nestsDeeperThan(nested(200_000), 32)).toBe(true);
  });

  it("finds the deep branch among wide shallow ones", () => {
    const wide = { a: Array.from({ length: 1000 }, (_, i) => i), b: { c: nested(40) } };
    expect(nestsDeeperThan(wide, 32)).toBe(true);
  });
});
