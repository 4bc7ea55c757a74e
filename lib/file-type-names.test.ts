import { describe, expect, it } from "vitest";
import { ALLOWED_MIME_TYPES } from "@/server/media/file-types";
import { fileTypeName, NAMED_FILE_TYPES } from "./file-type-names";

describe("file type names", () => {
  it("name every type an upload may have, and nothing else", () => {
    expect([...NAMED_FILE_TYPES].sort()).toEqual([...ALLOWED_MIME_TYPES].sort());
  });

  it("says what a type is, and shows an unknown one as it is", () => {
    expect(fileTypeName("image/png")).toBe("PNG images");
    expect(fileTypeName("application/x-unknown")).toBe("application/x-unknown");
  });
});
