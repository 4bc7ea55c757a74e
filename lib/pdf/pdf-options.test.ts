import { readFileSync } from "node:fs";
import {
  getDocument,
  InvalidPDFException,
  ResponseException,
  version,
} from "pdfjs-dist/legacy/build/pdf.mjs";
import type { TextItem } from "pdfjs-dist/types/src/display/api";
import { describe, expect, it } from "vitest";
import { pdfWithPages } from "@/test/pdf";
import { pdfFailure } from "./pdf-failure";
import { PDF_OPTIONS } from "./pdf-options";

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
