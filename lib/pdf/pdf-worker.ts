// The entry of the worker that parses PDF files off the page's thread: the bundler gives it a
// file of its own, served from Parley's origin as the Content-Security-Policy requires.
import "pdfjs-dist/legacy/build/pdf.worker.min.mjs";
