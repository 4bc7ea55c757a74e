"use client";

import { ChevronLeft, ChevronRight, Download } from "lucide-react";
import type { PDFDocumentProxy } from "pdfjs-dist/types/src/display/api";
import { useEffect, useEffectEvent, useRef, useState, type ReactNode } from "react";
import { Button } from "@/components/ui/button";
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogHeader,
  DialogTitle,
  DialogTrigger,
} from "@/components/ui/dialog";
import { useFormatters } from "@/lib/format";
import { formatBytes } from "@/lib/format-bytes";
import { pdfFailure } from "@/lib/pdf/pdf-failure";
import { drawPdfPage } from "@/lib/pdf/draw-pdf-page";
import { openPdf } from "@/lib/pdf/open-pdf";

export interface PdfFile {
  url: string;
  fileName: string;
  fileSize: number;
}

/**
 * A PDF shown page by page inside Parley, opened by `children` (its trigger, which gets the
 * focus back on closing). The file is read by pdf.js in a worker, never by the browser's own
 * viewer: an upload is served as a download, and its scripts and forms never run.
 */
export function PdfPreviewDialog({ file, children }: { file: PdfFile; children: ReactNode }) {
  const format = useFormatters();
  return (
    <Dialog>
      <DialogTrigger asChild>{children}</DialogTrigger>
      <DialogContent className="max-w-4xl" data-testid="pdf-preview">
        <DialogHeader>
          <DialogTitle className="truncate pr-8">{file.fileName}</DialogTitle>
          <DialogDescription>PDF document, {formatBytes(format, file.fileSize)}</DialogDescription>
        </DialogHeader>
        <PdfDocumentView file={file} />
      </DialogContent>
    </Dialog>
  );
}

type Loaded =
  | { state: "loading" }
  | { state: "ready"; document: PDFDocumentProxy }
  | { state: "failed"; reason: string };

function PdfDocumentView({ file }: { file: PdfFile }) {
  const [loaded, setLoaded] = useState<Loaded>({ state: "loading" });
  const [pageNumber, setPageNumber] = useState(1);

  useEffect(() => {
    let gone = false;
    let destroy: (() => Promise<void>) | undefined;
    openPdf(file.url)
      .then((task) => {
        destroy = () => task.destroy();
        if (gone) return void destroy();
        return task.promise.then((document) => {
          if (!gone) setLoaded({ state: "ready", document });
        });
      })
      .catch((error: unknown) => {
        if (!gone) setLoaded({ state: "failed", reason: pdfFailure(error) });
      });
    return () => {
      gone = true;
      void destroy?.();
    };
  }, [file.url]);

  const pageCount = loaded.state === "ready" ? loaded.document.numPages : 0;
  const hasPrevious = pageNumber > 1;
  const hasNext = pageNumber < pageCount;
  // The dialog is modal: while it is open, the arrow keys turn its pages wherever its focus is.
  const onKeyDown = useEffectEvent((event: KeyboardEvent) => {
    const step = event.key === "ArrowLeft" ? -1 : event.key === "ArrowRight" ? 1 : 0;
    if (step === 0 || (step < 0 && !hasPrevious) || (step > 0 && !hasNext)) return;
    event.preventDefault();
    setPageNumber((page) => page + step);
  });
  useEffect(() => {
    const listener = (event: KeyboardEvent) => onKeyDown(event);
    window.addEventListener("keydown", listener);
    return () => window.removeEventListener("keydown", listener);
  }, []);

  return (
    <div className="flex min-w-0 flex-col gap-3">
      {loaded.state === "failed" ? (
        <p role="alert" className="rounded-md border px-3 py-6 text-center text-sm">
          {loaded.reason}
        </p>
      ) : loaded.state === "loading" ? (
        <p role="status" className="py-6 text-center text-sm text-muted-foreground">
          Loading the preview…
        </p>
      ) : (
        <PdfPageView
          document={loaded.document}
          pageNumber={pageNumber}
          onFailed={(reason) => setLoaded({ state: "failed", reason })}
        />
      )}
      <div className="flex items-center justify-between gap-2">
        <Button
          variant="outline"
          size="sm"
          disabled={!hasPrevious}
          onClick={() => setPageNumber((page) => page - 1)}
        >
          <ChevronLeft aria-hidden="true" />
          <span className="sr-only sm:not-sr-only">Previous page</span>
        </Button>
        <span className="flex items-center gap-2 text-sm">
          {pageCount > 0 ? (
            <span aria-live="polite" className="whitespace-nowrap">
              Page {pageNumber} of {pageCount}
            </span>
          ) : null}
          <Button asChild variant="ghost" size="sm">
            <a href={file.url} download={file.fileName}>
              <Download aria-hidden="true" />
              Download
            </a>
          </Button>
        </span>
        <Button
          variant="outline"
          size="sm"
          disabled={!hasNext}
          onClick={() => setPageNumber((page) => page + 1)}
        >
          <span className="sr-only sm:not-sr-only">Next page</span>
          <ChevronRight aria-hidden="true" />
        </Button>
      </div>
    </div>
  );
}

/**
 * One page, as wide as the dialog: its picture on a canvas and its text laid over it. A page
 * is drawn on a fresh canvas that replaces the shown one when it is done, so turning pages
 * quickly never flickers and a drawing that is no longer wanted is simply cancelled.
 */
function PdfPageView({
  document,
  pageNumber,
  onFailed,
}: {
  document: PDFDocumentProxy;
  pageNumber: number;
  onFailed: (reason: string) => void;
}) {
  const box = useRef<HTMLDivElement>(null);
  const [boxWidth, setBoxWidth] = useState(0);
  const [drawn, setDrawn] = useState(0);
  const failed = useEffectEvent((error: unknown) => onFailed(pdfFailure(error)));

  useEffect(() => {
    const element = box.current;
    if (!element) return;
    const observer = new ResizeObserver(([entry]) => {
      if (entry) setBoxWidth(Math.floor(entry.contentRect.width));
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, []);

  useEffect(() => {
    const element = box.current;
    if (!element || boxWidth === 0) return;
    const drawing = drawPdfPage(document, pageNumber, {
      boxWidth,
      pixelRatio: window.devicePixelRatio,
    });
    drawing.done.then(
      (page) => {
        if (!page) return;
        element.replaceChildren(page);
        setDrawn(pageNumber);
      },
      (error: unknown) => failed(error),
    );
    return drawing.cancel;
  }, [document, pageNumber, boxWidth]);

  return (
    <div
      ref={box}
      role="document"
      aria-label={`Page ${pageNumber}`}
      aria-busy={drawn !== pageNumber}
      data-testid="pdf-page"
      data-drawn-page={drawn || undefined}
      className="max-h-[65dvh] min-h-40 overflow-auto rounded-md border bg-muted"
    />
  );
}
