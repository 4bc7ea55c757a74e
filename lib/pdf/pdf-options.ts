import type { DocumentInitParameters } from "pdfjs-dist/types/src/display/api";

/**
 * Where pdf.js finds the data files it ships (copies of the pinned `pdfjs-dist`'s own, made in
 * `public/pdfjs/` at install by scripts/pdfjs-assets.mjs and served from Parley's origin like
 * the worker; pdf-options.test.ts checks they are identical): the 14 standard fonts a PDF may name without embedding them, the CMaps of CJK
 * text, and the WebAssembly decoders (JPEG 2000, JBIG2, ICC colour). Each is a directory: pdf.js
 * appends a file name.
 */
export const PDF_ASSET_DIRECTORIES = {
  standardFontDataUrl: "/pdfjs/standard_fonts/",
  cMapUrl: "/pdfjs/cmaps/",
  wasmUrl: "/pdfjs/wasm/",
} as const;

/**
 * How Parley opens a PDF someone uploaded: the file is untrusted. No code from it is ever
 * evaluated (font programs are interpreted, not compiled with `eval`), XFA forms are not
 * rendered as HTML, and nothing is fetched for it but the file itself and pdf.js's own data
 * files from Parley's origin: a standard font it does not embed is the system's when there is
 * one, else pdf.js's (Liberation Sans for Helvetica and Arial, Foxit's for the others).
 */
export const PDF_OPTIONS = {
  isEvalSupported: false,
  enableXfa: false,
  withCredentials: false,
  useSystemFonts: true,
  stopAtErrors: false,
  // Pages are fetched as they are shown (the file is served with byte ranges).
  disableAutoFetch: true,
  ...PDF_ASSET_DIRECTORIES,
  cMapPacked: true,
} as const satisfies DocumentInitParameters;
