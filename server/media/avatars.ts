import "server-only";

import { createHash } from "node:crypto";
import { Readable } from "node:stream";
import sharp from "sharp";
import { env } from "@/server/env";
import { AppError } from "@/server/errors";
import { checkImageSize, runImageWork } from "./image-work";
import { AVATAR_SIZE_PX, avatarObjectPath, type AvatarRef } from "@/contracts/avatar-paths";
import type { StorageDriver } from "@/server/storage/driver";

export interface CropRect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * The square avatar from an uploaded image: orientation applied, the crop rectangle (in the
 * oriented image's pixels) clamped to the image and squared, scaled to 256 × 256, WebP,
 * without metadata. Without a crop the centred square is used.
 */
export async function renderAvatar(input: string, crop: CropRect | null): Promise<Buffer> {
  await checkImageSize(input);
  return runImageWork(() => cropAvatar(input, crop));
}

async function cropAvatar(input: string, crop: CropRect | null): Promise<Buffer> {
  const { data, info } = await sharp(input, { limitInputPixels: env.IMAGE_MAX_PIXELS })
    .rotate()
    .toBuffer({ resolveWithObject: true })
    .catch(() => {
      throw new AppError("UNSUPPORTED_MEDIA_TYPE", "The image could not be read");
    });
  const full = Math.min(info.width, info.height);
  let side = crop ? Math.round(Math.min(crop.width, crop.height)) : full;
  side = Math.max(1, Math.min(side, full));
  const left = crop
    ? Math.round(Math.min(Math.max(crop.x, 0), info.width - side))
    : Math.floor((info.width - side) / 2);
  const top = crop
    ? Math.round(Math.min(Math.max(crop.y, 0), info.height - side))
    : Math.floor((info.height - side) / 2);
  return sharp(data)
    .extract({ left, top, width: side, height: side })
    .resize(AVATAR_SIZE_PX, AVATAR_SIZE_PX, { fit: "cover" })
    .webp({ quality: 85 })
    .toBuffer();
}

/**
 * Stores a rendered avatar under its hash; `created` is false when that exact image was
 * already stored (the current avatar uploaded again), which must then not be cleaned up.
 */
export async function storeAvatar(
  storage: StorageDriver,
  userId: string,
  image: Buffer,
): Promise<{ ref: AvatarRef; created: boolean }> {
  const ref = { userId, hash: createHash("sha256").update(image).digest("hex").slice(0, 32) };
  const objectPath = avatarObjectPath(ref);
  if (await storage.stat(objectPath)) return { ref, created: false };
  await storage.put(objectPath, Readable.from(image), { contentType: "image/webp" });
  return { ref, created: true };
}
