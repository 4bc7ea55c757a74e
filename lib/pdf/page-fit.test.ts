import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { pageFit } from "./page-fit";

describe("fitting a PDF page to its box", () => {
  it("fills the box's width at the screen's pixel ratio", () => {
    expect(pageFit({ pageWidth: 595, pageHeight: 842, boxWidth: 595, pixelRatio: 2 })).toEqual({
      scale: 1,
      outputScale: 2,
    });
  });

  it("does not magnify a small page past the largest zoom", () => {
    expect(pageFit({ pageWidth: 100, pageHeight: 100, boxWidth: 800, pixelRatio: 1 }).scale).toBe(
      2,
    );
  });

  it("draws a huge page blurrier rather than with an unbounded bitmap", () => {
    const fit = pageFit({ pageWidth: 200, pageHeight: 14_400, boxWidth: 800, pixelRatio: 3 });
    expect(fit.scale).toBe(2);
    expect(fit.outputScale).toBeLessThan(3);
    expect(Math.floor(14_400 * fit.scale * fit.outputScale)).toBeLessThanOrEqual(32_767);
  });

  it("never asks for a bitmap past the limits, whatever size a file claims", () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 1e6, noNaN: true }),
        fc.double({ min: 0, max: 1e6, noNaN: true }),
        fc.integer({ min: 0, max: 4000 }),
        fc.double({ min: 0.5, max: 4, noNaN: true }),
        (pageWidth, pageHeight, boxWidth, pixelRatio) => {
          const maxPixels = 4096 * 4096;
          const { scale, outputScale } = pageFit({ pageWidth, pageHeight, boxWidth, pixelRatio });
          const width = Math.max(pageWidth, 1) * scale * outputScale;
          const height = Math.max(pageHeight, 1) * scale * outputScale;
          expect(scale).toBeGreaterThan(0);
          expect(Math.max(pageWidth, 1) * scale).toBeLessThanOrEqual(Math.max(boxWidth, 1) + 1e-6);
          expect(width * height).toBeLessThanOrEqual(maxPixels * (1 + 1e-9));
          expect(Math.max(width, height)).toBeLessThanOrEqual(32_767 * (1 + 1e-9));
        },
      ),
    );
  });
});
