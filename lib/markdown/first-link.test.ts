import { describe, expect, it } from "vitest";
import { firstLink, MAX_PREVIEW_URL_LENGTH } from "./first-link";

describe("firstLink", () => {
  it.each([
    ["see https://example.com/a and https://example.org/b", "https://example.com/a"],
    ["[the plan](https://example.com/plan) then https://example.org", "https://example.com/plan"],
    ["<https://example.com/auto>", "https://example.com/auto"],
    ["www.example.com/path", "http://www.example.com/path"],
    ["**bold https://example.com/x.**", "https://example.com/x"],
  ])("%j links first to %j", (markdown, url) => {
    expect(firstLink(markdown)).toBe(url);
  });

  it.each([
    ["no link here"],
    ["`https://example.com/in-code`"],
    ["```\nhttps://example.com/in-block\n```"],
    ["[mail](mailto:a@example.com)"],
    ["[js](javascript:alert(1))"],
    ["ftp://example.com/file"],
    [`https://example.com/${"a".repeat(MAX_PREVIEW_URL_LENGTH)}`],
  ])("%j has no link to preview", (markdown) => {
    expect(firstLink(markdown)).toBeNull();
  });
});
