import { describe, expect, it } from "vitest";
import { validTimeZone } from "./time-zone";

describe("validTimeZone", () => {
  it("accepts IANA zones and returns their canonical name", () => {
    expect(validTimeZone("Europe/Berlin")).toBe("Europe/Berlin");
    expect(validTimeZone("Pacific/Kiritimati")).toBe("Pacific/Kiritimati");
    expect(validTimeZone("europe/berlin")).toBe("Europe/Berlin");
    expect(validTimeZone("UTC")).toBe("UTC");
  });

  it("rejects what is not a zone: the cookie is user input", () => {
    expect(validTimeZone(undefined)).toBeNull();
    expect(validTimeZone(null)).toBeNull();
    expect(validTimeZone("")).toBeNull();
    expect(validTimeZone("Mars/Olympus_Mons")).toBeNull();
    expect(validTimeZone("UTC; path=/")).toBeNull();
    expect(validTimeZone(`Europe/${"x".repeat(100)}`)).toBeNull();
  });
});
