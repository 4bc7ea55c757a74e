/**
 * What to tell a person whose PDF cannot be previewed, from what pdf.js threw (matched by
 * name: the classes live in a chunk that may not have loaded).
 */
export function pdfFailure(error: unknown): string {
  const name = error instanceof Error ? error.name : "";
  if (name === "PasswordException") {
    return "This PDF is protected by a password. Download it to open it.";
  }
  if (name === "InvalidPDFException") {
    return "This file could not be read as a PDF. Download it to open it elsewhere.";
  }
  if (name === "ResponseException" || name === "ChunkLoadError" || error instanceof TypeError) {
    return "The preview could not be loaded. Close it and try again.";
  }
  return "This PDF could not be shown. Download it to open it.";
}
