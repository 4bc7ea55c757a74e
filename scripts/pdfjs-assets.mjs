// Copies the data files of the installed pdfjs-dist (standard fonts, CMaps, WebAssembly
// decoders) into public/pdfjs, where the PDF preview asks for them from Parley's origin
// (lib/pdf/pdf-options.ts). Run after every install, so they always match the pinned version.
import fs from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
const source = path.join(root, "node_modules", "pdfjs-dist");
const target = path.join(root, "public", "pdfjs");

fs.rmSync(target, { recursive: true, force: true });
for (const directory of ["standard_fonts", "cmaps", "wasm"]) {
  fs.cpSync(path.join(source, directory), path.join(target, directory), { recursive: true });
}
