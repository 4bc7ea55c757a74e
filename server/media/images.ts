import "server-only";

import sharp from "sharp";

export const THUMBNAIL_MAX_PX = 480;

export interface ProcessedImage {
  width: number;
  height: number;
  /** The image re-encoded without metadata (EXIF location, camera, comments). */
  cleanFile: string;
  /** A WebP of at most 480 × 480. */
  thumbnail: Buffer;
}

/**
 * Re-encodes an uploaded raster image from `input` into `output` with its orientation applied
 * and every metadata block dropped (sharp keeps none unless asked), and makes its thumbnail.
 * Animated GIF and WebP keep their frames. Throws on a file that does not decode.
 */
export async function processImage(
  input: string,
  output: string,
  mime: string,
): Promise<ProcessedImage> {
  const animated = mime === "image/gif" || mime === "image/webp";
  const source = () => sharp(input, { animated, limitInputPixels: 100_000_000 }).rotate();
  const encoded = source();
  switch (mime) {
    case "image/png":
      encoded.png();
      break;
    case "image/jpeg":
      encoded.jpeg({ quality: 90, mozjpeg: true });
      break;
    case "image/gif":
      encoded.gif();
      break;
    default:
      encoded.webp({ quality: 90 });
  }
  const info = await encoded.toFile(output);
  const thumbnail = await sharp(input, { limitInputPixels: 100_000_000 })
    .rotate()
    .resize({
      width: THUMBNAIL_MAX_PX,
      height: THUMBNAIL_MAX_PX,
      fit: "inside",
      withoutEnlargement: true,
    })
    .webp({ quality: 75 })
    .toBuffer();
  const pageHeight = (info as { pageHeight?: number }).pageHeight;
  return {
    width: info.width,
    height: animated && pageHeight ? pageHeight : info.height,
    cleanFile: output,
    thumbnail,
  };
}
