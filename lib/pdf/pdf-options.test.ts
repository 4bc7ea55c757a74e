import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import {
  getDocument,
  InvalidPDFException,
  OPS,
  ResponseException,
  version,
} from "pdfjs-dist/legacy/build/pdf.mjs";
import type { TextItem } from "pdfjs-dist/types/src/display/api";
import { describe, expect, it } from "vitest";
import { pdfWithPages } from "@/test/pdf";
import { pdfFailure } from "./pdf-failure";
import { type PDF_ASSET_DIRECTORIES, PDF_OPTIONS } from "./pdf-options";

/** The pdf.js data files served under each directory, as shipped in the pinned package. */
const SHIPPED = {
  standardFontDataUrl: "node_modules/pdfjs-dist/standard_fonts",
  cMapUrl: "node_modules/pdfjs-dist/cmaps",
  wasmUrl: "node_modules/pdfjs-dist/wasm",
} as const;

/** A URL path on Parley's origin, as the file `public/` holds for it. */
const publicFile = (urlPath: string) => path.join("public", ...urlPath.split("/"));

type Kind = keyof typeof PDF_ASSET_DIRECTORIES;

/**
 * pdf.js's data loader (its `BinaryDataFactory` option), reading what Parley's origin serves
 * at each URL from `public/`, as the browser's fetch would, and noting each URL asked for.
 */
function servedFiles(requested: string[], available = true) {
  return class ServedFiles {
    constructor(private readonly directories: Record<Kind, string | null>) {}
    fetch({ kind, filename }: { kind: Kind; filename: string }): Promise<Uint8Array> {
      const url = `${this.directories[kind]}${filename}`;
      requested.push(url);
      if (!available) return Promise.reject(new Error(`404 ${url}`));
      return Promise.resolve(new Uint8Array(readFileSync(publicFile(url))));
    }
  };
}

/** The font the first text of page 1 is set in, as pdf.js loaded it. */
async function firstFont(
  bytes: Uint8Array,
  options: Record<string, unknown>,
): Promise<{ name: string; missingFile: boolean }> {
  const document = await getDocument({ ...PDF_OPTIONS, ...options, data: bytes }).promise;
  try {
    const page = await document.getPage(1);
    const operators = await page.getOperatorList();
    const setFont = operators.argsArray[operators.fnArray.indexOf(OPS.setFont)] as [string];
    return page.commonObjs.get(setFont[0]) as { name: string; missingFile: boolean };
  } finally {
    await document.destroy();
  }
}

const open = (bytes: Uint8Array) => getDocument({ ...PDF_OPTIONS, data: bytes }).promise;

async function pageText(bytes: Uint8Array, pageNumber: number): Promise<string> {
  const document = await open(bytes);
  try {
    const page = await document.getPage(pageNumber);
    const content = await page.getTextContent();
    return content.items.map((item) => (item as TextItem).str ?? "").join("");
  } finally {
    await document.destroy();
  }
}

describe("opening an uploaded PDF", () => {
  it("reads its pages, their size and their text with Parley's options", async () => {
    const bytes = new Uint8Array(pdfWithPages(["Quarterly (draft)", "Second page"]));
    const document = await open(bytes.slice());
    expect(document.numPages).toBe(2);
    const page = await document.getPage(1);
    expect(page.getViewport({ scale: 1 })).toMatchObject({ width: 595, height: 842 });
    await document.destroy();
    expect(await pageText(bytes.slice(), 1)).toBe("Quarterly (draft)");
    expect(await pageText(bytes.slice(), 2)).toBe("Second page");
  });

  it("refuses a file that is not a PDF with the error the preview explains", async () => {
    const error = await open(new TextEncoder().encode("<html>not a pdf</html>")).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(InvalidPDFException);
    expect(pdfFailure(error)).toMatch(/could not be read as a PDF/);
  });

  it("says a file that could not be fetched can be tried again, and anything else plainly", () => {
    expect(pdfFailure(new ResponseException("Unexpected server response", 400, false))).toMatch(
      /try again/,
    );
    expect(pdfFailure(new Error("something else"))).toBe(
      "This PDF could not be shown. Download it to open it.",
    );
  });

  it("points pdf.js at its standard fonts, CMaps and WebAssembly decoders on Parley's origin, as the pinned version ships them", () => {
    expect(PDF_OPTIONS.isEvalSupported).toBe(false);
    for (const [kind, shipped] of Object.entries(SHIPPED) as [Kind, string][]) {
      const directory = PDF_OPTIONS[kind];
      // pdf.js appends the file name: a path on the page's own origin, ending in a slash.
      expect(directory).toMatch(/^\/pdfjs\/[a-z_]+\/$/);
      const files = readdirSync(shipped);
      expect(files.length).toBeGreaterThan(0);
      for (const name of files) {
        const served = readFileSync(publicFile(`${directory}${name}`));
        expect(served.equals(readFileSync(path.join(shipped, name))), name).toBe(true);
      }
      expect(readdirSync(publicFile(directory)).sort()).toEqual(files.sort());
    }
    expect(readdirSync(SHIPPED.standardFontDataUrl)).toContain("LiberationSans-Regular.ttf");
    expect(readdirSync(SHIPPED.wasmUrl)).toEqual(
      expect.arrayContaining(["openjpeg.wasm", "jbig2.wasm", "qcms_bg.wasm"]),
    );
  });

  it("draws a standard font the PDF does not embed with the font data Parley serves", async () => {
    // Helvetica, named and not embedded. Where the system has no Helvetica or Arial, the page
    // falls back to the font pdf.js ships for it; here the system's fonts are left out, so that
    // fallback is what loads.
    const bytes = new Uint8Array(pdfWithPages(["Standard font"]));
    const requested: string[] = [];
    const font = await firstFont(bytes.slice(), {
      useSystemFonts: false,
      BinaryDataFactory: servedFiles(requested),
    });
    expect(requested).toEqual(["/pdfjs/standard_fonts/LiberationSans-Regular.ttf"]);
    expect(font).toMatchObject({ name: "Helvetica", missingFile: false });
    expect(await pageText(bytes.slice(), 1)).toBe("Standard font");

    // Without the served file, the same font is missing: the check above can fail.
    const unserved = await firstFont(bytes.slice(), {
      useSystemFonts: false,
      BinaryDataFactory: servedFiles([], false),
    });
    expect(unserved.missingFile).toBe(true);
  });

  it("runs the version of pdf.js that package.json pins exactly, worker and page alike", () => {
    const manifest = JSON.parse(readFileSync("package.json", "utf8")) as {
      dependencies: Record<string, string>;
    };
    const installed = JSON.parse(readFileSync("node_modules/pdfjs-dist/package.json", "utf8")) as {
      version: string;
    };
    expect(manifest.dependencies["pdfjs-dist"]).toBe(installed.version);
    expect(version).toBe(installed.version);
    // The worker refuses a page script of another version; both come from this one package.
    const worker = readFileSync("node_modules/pdfjs-dist/legacy/build/pdf.worker.min.mjs", "utf8");
    expect(worker).toContain(`"${installed.version}"`);
  });
});
