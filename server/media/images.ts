import "server-only";

import sharp from "sharp";
import { env } from "@/server/env";
import { checkImageSize, runImageWork } from "./image-work";

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
 * Animated GIF and WebP keep their frames. Throws on a file that does not decode; an image
 * over `IMAGE_MAX_PIXELS` is refused from its header, and the work waits in the image queue.
 */
export async function processImage(
  input: string,
  output: string,
  mime: string,
): Promise<ProcessedImage> {
  await checkImageSize(input);
  return runImageWork(() => encode(input, output, mime));
}

async function encode(input: string, output: string, mime: string): Promise<ProcessedImage> {
  const animated = mime === "image/gif" || mime === "image/webp";
  const limitInputPixels = env.IMAGE_MAX_PIXELS;
  const source = () => sharp(input, { animated, limitInputPixels }).rotate();
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
  const thumbnail = await sharp(input, { limitInputPixels })
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
