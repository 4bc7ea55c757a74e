"use client";

import type { PDFDocumentProxy, RenderTask } from "pdfjs-dist/types/src/display/api";
import { loadPdfLibrary } from "./open-pdf";
import { pageFit } from "./page-fit";

export interface PageDrawing {
  /** The drawn page, or null when it was cancelled first. */
  done: Promise<HTMLElement | null>;
  cancel: () => void;
}

/**
 * Draws one page of `document` into a new element: a canvas fitted to `boxWidth` with the
 * page's text laid over it, selectable and readable by assistive technology.
 */
export function drawPdfPage(
  document: PDFDocumentProxy,
  pageNumber: number,
  { boxWidth, pixelRatio }: { boxWidth: number; pixelRatio: number },
): PageDrawing {
  let cancelled = false;
  let stop: (() => void) | undefined;
  const done = (async () => {
    const [pdfjs, page] = await Promise.all([loadPdfLibrary(), document.getPage(pageNumber)]);
    if (cancelled) return null;
    const unscaled = page.getViewport({ scale: 1 });
    const fit = pageFit({
      pageWidth: unscaled.width,
      pageHeight: unscaled.height,
      boxWidth,
      pixelRatio,
    });
    const viewport = page.getViewport({ scale: fit.scale });

    const sheet = window.document.createElement("div");
    sheet.className = "relative mx-auto bg-white";
    sheet.style.width = `${Math.floor(viewport.width)}px`;
    sheet.style.height = `${Math.floor(viewport.height)}px`;
    const canvas = window.document.createElement("canvas");
    canvas.width = Math.floor(viewport.width * fit.outputScale);
    canvas.height = Math.floor(viewport.height * fit.outputScale);
    canvas.className = "block size-full";
    canvas.setAttribute("aria-hidden", "true");
    const text = window.document.createElement("div");
    text.className = "pdf-text-layer";
    text.style.setProperty("--total-scale-factor", String(fit.scale));
    sheet.append(canvas, text);

    const render: RenderTask = page.render({
      canvas,
      viewport,
      transform: fit.outputScale === 1 ? undefined : [fit.outputScale, 0, 0, fit.outputScale, 0, 0],
    });
    const textLayer = new pdfjs.TextLayer({
      textContentSource: page.streamTextContent(),
      container: text,
      viewport,
    });
    stop = () => {
      render.cancel();
      textLayer.cancel();
    };
    try {
      await Promise.all([render.promise, textLayer.render()]);
    } catch (error) {
      if (cancelled) return null;
      throw error;
    }
    return cancelled ? null : sheet;
  })();
  return {
    done,
    cancel: () => {
      cancelled = true;
      stop?.();
    },
  };
}
