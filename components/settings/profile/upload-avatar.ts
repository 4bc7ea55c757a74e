import type { Area } from "react-easy-crop";
import { uploadFile } from "@/lib/upload";

export const AVATAR_TYPES = ["image/png", "image/jpeg", "image/gif", "image/webp"];
export const AVATAR_MAX_MB = 5;

/** Why a picked file cannot be an avatar, before any bytes are sent (the server re-checks). */
export function avatarFileProblem(file: File): string | null {
  if (!AVATAR_TYPES.includes(file.type)) return "Choose a PNG, JPEG, GIF or WebP image.";
  if (file.size > AVATAR_MAX_MB * 1024 * 1024) {
    return `That image is larger than ${AVATAR_MAX_MB} MB.`;
  }
  return null;
}

export interface AvatarUpload {
  promise: Promise<void>;
  cancel: () => void;
}

export class UploadCancelled extends Error {}

/** Sends the image and its crop to `/api/me/avatar`, with progress; rejects with the server's message. */
export function uploadAvatar(
  file: File,
  crop: Area | null,
  onProgress: (percent: number) => void,
): AvatarUpload {
  const controller = new AbortController();
  const query = crop
    ? `?${new URLSearchParams({
        x: String(Math.round(crop.x)),
        y: String(Math.round(crop.y)),
        width: String(Math.round(crop.width)),
        height: String(Math.round(crop.height)),
      })}`
    : "";
  const promise = uploadFile<unknown>(`/api/me/avatar${query}`, file, {
    signal: controller.signal,
    onProgress: (fraction) => onProgress(fraction * 100),
  }).then(
    () => onProgress(100),
    (error: unknown) => {
      if (error instanceof DOMException && error.name === "AbortError") {
        throw new UploadCancelled("Upload cancelled");
      }
      throw error;
    },
  );
  return { promise, cancel: () => controller.abort() };
}
