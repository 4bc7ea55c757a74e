import "server-only";

import { fileTypeFromBuffer } from "file-type";

/**
 * What may be attached, decided from the file's own bytes: the declared Content-Type and the
 * name's extension are only consulted to tell apart formats that share a container (plain
 * text and CSV; the legacy Office formats inside a CFB file). SVG and HTML are never accepted:
 * they can carry script, and no type is ever served for a browser to render as a document.
 */
export interface DetectedType {
  mime: string;
  ext: string;
}

const ALLOWED = new Map<string, string>([
  ["image/png", "png"],
  ["image/jpeg", "jpg"],
  ["image/gif", "gif"],
  ["image/webp", "webp"],
  ["image/heic", "heic"],
  ["image/heif", "heif"],
  ["application/pdf", "pdf"],
  ["application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"],
  ["application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"],
  ["application/vnd.openxmlformats-officedocument.presentationml.presentation", "pptx"],
  ["application/vnd.oasis.opendocument.text", "odt"],
  ["application/vnd.oasis.opendocument.spreadsheet", "ods"],
  ["application/vnd.oasis.opendocument.presentation", "odp"],
  ["application/msword", "doc"],
  ["application/vnd.ms-excel", "xls"],
  ["application/vnd.ms-powerpoint", "ppt"],
  ["text/plain", "txt"],
  ["text/csv", "csv"],
  ["application/zip", "zip"],
  ["audio/mpeg", "mp3"],
  ["audio/mp4", "m4a"],
  ["audio/ogg", "ogg"],
  ["audio/wav", "wav"],
  ["audio/webm", "weba"],
  ["video/mp4", "mp4"],
  ["video/webm", "webm"],
  ["video/quicktime", "mov"],
]);

export const ALLOWED_MIME_TYPES: readonly string[] = [...ALLOWED.keys()];

/** Raster images a browser may show inline; everything else downloads. */
export const INLINE_IMAGE_TYPES: ReadonlySet<string> = new Set([
  "image/png",
  "image/jpeg",
  "image/gif",
  "image/webp",
]);

/** Images Parley can decode to strip metadata and make a thumbnail. */
export const PROCESSABLE_IMAGE_TYPES = INLINE_IMAGE_TYPES;

// file-type's names for a few formats, mapped onto the allowlist's.
const ALIASES: Record<string, string> = {
  "audio/x-m4a": "audio/mp4",
  "audio/vnd.wave": "audio/wav",
  "audio/x-wav": "audio/wav",
  "audio/wave": "audio/wav",
  "video/x-m4v": "video/mp4",
  "audio/opus": "audio/ogg",
  "audio/ogg; codecs=opus": "audio/ogg",
  "image/heic-sequence": "image/heic",
  "image/heif-sequence": "image/heif",
};

/**
 * file-type names a WebM or MP4 file after its container, as video, whether or not it holds
 * any picture. A recording of sound alone (a voice message from MediaRecorder) is told apart by
 * what its sender declared or named it; either way it is served as a download, never rendered.
 */
const AUDIO_IN_CONTAINER: Record<string, { mime: string; extensions: readonly string[] }> = {
  "video/webm": { mime: "audio/webm", extensions: ["weba"] },
  "video/mp4": { mime: "audio/mp4", extensions: ["m4a"] },
};

const LEGACY_OFFICE: Record<string, string> = {
  doc: "application/msword",
  xls: "application/vnd.ms-excel",
  ppt: "application/vnd.ms-powerpoint",
};

function extensionOf(fileName: string): string {
  const dot = fileName.lastIndexOf(".");
  return dot < 0 ? "" : fileName.slice(dot + 1).toLowerCase();
}

/** Text is UTF-8 without NUL bytes or other control characters that text files never hold. */
function looksLikeText(head: Uint8Array): boolean {
  // A multi-byte character may be cut at the end of the sample: ignore its last 3 bytes.
  const sample = head.length >= 4096 ? head.subarray(0, head.length - 3) : head;
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(sample);
  } catch {
    return false;
  }
  for (const byte of sample) {
    if (
      byte === 0 ||
      (byte < 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0d && byte !== 0x0c)
    ) {
      return false;
    }
  }
  return true;
}

/**
 * The allowed type of a file from its first bytes (4 KB or more), or null. `head` is the
 * beginning of the file; `declared` the client's Content-Type; `fileName` its name.
 */
export async function detectAllowedType(
  head: Uint8Array,
  declared: string,
  fileName: string,
): Promise<DetectedType | null> {
  const ext = extensionOf(fileName);
  const found = await fileTypeFromBuffer(head);
  if (found) {
    let mime = ALIASES[found.mime] ?? found.mime;
    const audio = AUDIO_IN_CONTAINER[mime];
    const declaredMime = declared.split(";")[0]!.trim().toLowerCase();
    if (audio && (declaredMime === audio.mime || audio.extensions.includes(ext))) mime = audio.mime;
    if (mime === "application/x-cfb") {
      const legacy = LEGACY_OFFICE[ext];
      if (!legacy) return null;
      mime = legacy;
    }
    const allowedExt = ALLOWED.get(mime);
    return allowedExt ? { mime, ext: allowedExt } : null;
  }
  if (head.length === 0 || !looksLikeText(head)) return null;
  // Markup stays out whatever it is called: a browser would render it.
  const start = new TextDecoder().decode(head.subarray(0, 512)).trimStart().toLowerCase();
  if (/^(<\?xml|<!doctype|<html|<svg|<script)/.test(start)) return null;
  const csv = ext === "csv" || /^text\/csv\b/i.test(declared);
  return csv ? { mime: "text/csv", ext: "csv" } : { mime: "text/plain", ext: "txt" };
}

/** Every thumbnail is encoded as WebP, whatever its image was. */
export const THUMBNAIL_TYPE = "image/webp";
