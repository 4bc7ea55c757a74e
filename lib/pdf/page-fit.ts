/** Browsers refuse canvases longer than this on a side. */
const MAX_CANVAS_SIDE = 32_767;

export interface PageFit {
  /** CSS pixels per PDF point. */
  scale: number;
  /** Canvas pixels per CSS pixel. */
  outputScale: number;
}

/**
 * How to draw one page: as wide as the box it is shown in, never magnified past `maxScale`
 * (a small page stays readable without turning into a poster), and drawn at the screen's pixel
 * ratio unless that would make one page's bitmap larger than `maxPixels` or a side longer than
 * a canvas may be. A page of any shape a file claims costs bounded memory; it is only blurrier.
 */
export function pageFit({
  pageWidth,
  pageHeight,
  boxWidth,
  pixelRatio,
  maxScale = 2,
  maxPixels = 4096 * 4096,
}: {
  pageWidth: number;
  pageHeight: number;
  boxWidth: number;
  pixelRatio: number;
  maxScale?: number;
  maxPixels?: number;
}): PageFit {
  const width = Math.max(pageWidth, 1);
  const height = Math.max(pageHeight, 1);
  const scale = Math.min(Math.max(boxWidth, 1) / width, maxScale);
  const cssWidth = width * scale;
  const cssHeight = height * scale;
  const outputScale = Math.min(
    Math.max(pixelRatio, 1),
    Math.sqrt(maxPixels / (cssWidth * cssHeight)),
    MAX_CANVAS_SIDE / Math.max(cssWidth, cssHeight),
  );
  return { scale, outputScale };
}
