"use client";

import { FileText } from "lucide-react";
import { useEffect, useState } from "react";

/** Types every browser shows in an `<img>`; anything else (HEIC, PDF, …) gets an icon. */
const SHOWN_TYPES = new Set(["image/png", "image/jpeg", "image/gif", "image/webp"]);

/**
 * What a file about to be sent looks like: the picture itself, read from the disk through an
 * object URL (nothing is fetched; the URL is revoked when the file leaves the list).
 */
export function UploadThumbnail({ file }: { file: File }) {
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => {
    if (!SHOWN_TYPES.has(file.type)) return;
    const objectUrl = URL.createObjectURL(file);
    setUrl(objectUrl);
    return () => URL.revokeObjectURL(objectUrl);
  }, [file]);
  if (!url) {
    return <FileText aria-hidden="true" className="size-4 shrink-0 text-muted-foreground" />;
  }
  return (
    // eslint-disable-next-line @next/next/no-img-element -- a local object URL, not an asset to optimise
    <img
      src={url}
      alt=""
      data-testid="upload-thumbnail"
      className="size-10 shrink-0 rounded object-cover"
    />
  );
}
