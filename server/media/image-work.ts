import "server-only";

import pLimit from "p-limit";
import sharp, { type Metadata } from "sharp";
import { env } from "@/server/env";
import { AppError } from "@/server/errors";

// Decoded images are not kept between uploads: the cache would hold the largest ones.
sharp.cache(false);

const queue = pLimit(env.IMAGE_CONCURRENCY);

/**
 * Runs image work (decode, re-encode, thumbnail, avatar) through one queue, `IMAGE_CONCURRENCY`
 * at a time, so a burst of large images waits its turn instead of taking every core and
 * gigabytes at once. Past `IMAGE_QUEUE_MAX` waiting, a new image is refused with 429.
 */
export function runImageWork<T>(work: () => Promise<T>): Promise<T> {
  if (queue.pendingCount >= env.IMAGE_QUEUE_MAX) {
    return Promise.reject(
      new AppError("TOO_MANY_REQUESTS", "Parley is busy with other images; try again shortly", {
        retryAfterSeconds: 5,
      }),
    );
  }
  return queue(work);
}

/**
 * Refuses an image larger than `IMAGE_MAX_PIXELS` (all frames of an animation counted) from
 * its header alone, before anything is decoded: a small file can describe a huge bitmap.
 */
export async function checkImageSize(input: string): Promise<void> {
  let metadata: Metadata;
  try {
    metadata = await sharp(input).metadata();
  } catch {
    throw new AppError("UNSUPPORTED_MEDIA_TYPE", "The image could not be read");
  }
  const { width, height, pageHeight, pages = 1 } = metadata;
  if (!width || !height)
    throw new AppError("UNSUPPORTED_MEDIA_TYPE", "The image could not be read");
  const pixels = width * (pageHeight ?? height) * pages;
  if (pixels > env.IMAGE_MAX_PIXELS) {
    throw new AppError(
      "PAYLOAD_TOO_LARGE",
      `Images are limited to ${Math.floor(env.IMAGE_MAX_PIXELS / 1_000_000)} megapixels`,
    );
  }
}

/** The pixels an image decodes to, every frame of an animation counted; null without a size. */
export function imagePixels(metadata: {
  width?: number;
  height?: number;
  pageHeight?: number | undefined;
  pages?: number | undefined;
}): number | null {
  const { width, height, pageHeight, pages = 1 } = metadata;
  if (!width || !height) return null;
  // A multi-page image reports its frames stacked (`height`) and one frame (`pageHeight`).
  return pageHeight ? width * pageHeight * pages : width * height;
}
