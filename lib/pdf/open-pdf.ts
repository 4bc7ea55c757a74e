"use client";

import type * as PdfJs from "pdfjs-dist/legacy/build/pdf.mjs";
import type { PDFDocumentLoadingTask } from "pdfjs-dist/types/src/display/api";
import { PDF_OPTIONS } from "./pdf-options";

type PdfLibrary = typeof PdfJs;

let library: Promise<PdfLibrary> | undefined;

/**
 * pdf.js, loaded the first time a PDF is previewed (it stays out of every page's bundle), with
 * one worker for all the documents of the page. The legacy build carries the polyfills that
 * browsers a year or two old need.
 */
export function loadPdfLibrary(): Promise<PdfLibrary> {
  library ??= import("pdfjs-dist/legacy/build/pdf.mjs").then(
    (pdfjs) => {
      pdfjs.GlobalWorkerOptions.workerPort ??= new Worker(
        new URL("./pdf-worker.ts", import.meta.url),
        { type: "module" },
      );
      return pdfjs;
    },
    (error: unknown) => {
      // A failed chunk load (a deploy, a lost connection) is tried again next time.
      library = undefined;
      throw error;
    },
  );
  return library;
}

/** Starts loading the PDF at `url`; destroying the task stops it and frees the document. */
export async function openPdf(url: string): Promise<PDFDocumentLoadingTask> {
  const pdfjs = await loadPdfLibrary();
  return pdfjs.getDocument({ ...PDF_OPTIONS, url });
}
