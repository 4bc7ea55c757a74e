import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "../..");
const PALETTE =
  "red|orange|amber|yellow|lime|green|emerald|teal|cyan|sky|blue|indigo|violet|purple|fuchsia|pink|rose|slate|gray|zinc|neutral|stone";
const UTILITIES = "bg|text|border|ring|outline|fill|stroke|from|via|to|divide|decoration|shadow";
const PALETTE_CLASS = new RegExp(`\\b(?:${UTILITIES})-(?:${PALETTE})-\\d{2,3}\\b`, "g");

function sources(dir: string): string[] {
  return fs
    .readdirSync(path.join(ROOT, dir), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && /\.tsx?$/.test(e.name) && !/\.test\.tsx?$/.test(e.name))
    .map((e) => path.join(e.parentPath, e.name));
}

/**
 * Colours come from the theme's tokens (app/globals.css), each defined for light and dark: a
 * palette class would look the same in both themes and skip the contrast checks.
 */
describe("theme tokens", () => {
  it("no component or page uses a palette colour class", () => {
    const found = [...sources("components"), ...sources("app")].flatMap((file) =>
      [...fs.readFileSync(file, "utf8").matchAll(PALETTE_CLASS)].map(
        (m) => `${path.relative(ROOT, file)}: ${m[0]}`,
      ),
    );
    expect(found).toEqual([]);
  });

  it("recognises a palette class", () => {
    expect("bg-emerald-500 text-cyan-200 bg-online bg-black/50".match(PALETTE_CLASS)).toEqual([
      "bg-emerald-500",
      "text-cyan-200",
    ]);
  });
});
