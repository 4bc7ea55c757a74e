import type { DocumentInitParameters } from "pdfjs-dist/types/src/display/api";

/**
 * How Parley opens a PDF someone uploaded: the file is untrusted. No code from it is ever
 * evaluated (font programs are interpreted, not compiled with `eval`), XFA forms are not
 * rendered as HTML, and nothing is fetched for it but the file itself: fonts it does not embed
 * are drawn with the system's.
 */
export const PDF_OPTIONS = {
  isEvalSupported: false,
  enableXfa: false,
  withCredentials: false,
  useSystemFonts: true,
  stopAtErrors: false,
  // Pages are fetched as they are shown (the file is served with byte ranges).
  disableAutoFetch: true,
} as const satisfies DocumentInitParameters;
