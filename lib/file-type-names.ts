/** What people call each kind of file Parley accepts (server/media/file-types.ts). */
const NAMES: Record<string, string> = {
  "image/png": "PNG images",
  "image/jpeg": "JPEG images",
  "image/gif": "GIF images",
  "image/webp": "WebP images",
  "image/heic": "HEIC images",
  "image/heif": "HEIF images",
  "application/pdf": "PDF documents",
  "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "Word documents",
  "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "Excel spreadsheets",
  "application/vnd.openxmlformats-officedocument.presentationml.presentation":
    "PowerPoint presentations",
  "application/vnd.oasis.opendocument.text": "OpenDocument texts",
  "application/vnd.oasis.opendocument.spreadsheet": "OpenDocument spreadsheets",
  "application/vnd.oasis.opendocument.presentation": "OpenDocument presentations",
  "application/msword": "Word documents (old format)",
  "application/vnd.ms-excel": "Excel spreadsheets (old format)",
  "application/vnd.ms-powerpoint": "PowerPoint presentations (old format)",
  "text/plain": "Text files",
  "text/csv": "CSV files",
  "application/zip": "ZIP archives",
  "audio/mpeg": "MP3 audio",
  "audio/mp4": "M4A audio",
  "audio/ogg": "Ogg audio",
  "audio/wav": "WAV audio",
  "audio/webm": "WebM audio",
  "video/mp4": "MP4 videos",
  "video/webm": "WebM videos",
  "video/quicktime": "QuickTime videos",
};

/** "PNG images" for `image/png`; a type without a name is shown as it is. */
export function fileTypeName(mimeType: string): string {
  return NAMES[mimeType] ?? mimeType;
}

export const NAMED_FILE_TYPES: readonly string[] = Object.keys(NAMES);
