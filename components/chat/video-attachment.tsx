"use client";

import { Download } from "lucide-react";
import { useRef } from "react";
import { useFormatters } from "@/lib/format";
import { formatBytes } from "@/lib/format-bytes";
import type { MessageView } from "@/contracts/messages";
import { useMediaDuration } from "./use-media-duration";

/**
 * A video attachment plays in the bubble with the browser's own controls (play, seek,
 * volume, full screen, all keyboard-operable). Only its metadata loads until it is played:
 * a chat full of videos costs no more than their first frames' worth of bytes. A recording
 * that states no length gets one found (useMediaDuration), so its controls can seek.
 */
export function VideoAttachment({ file }: { file: MessageView["attachments"][number] }) {
  const format = useFormatters();
  const video = useRef<HTMLVideoElement>(null);
  useMediaDuration(video);
  return (
    <figure className="w-80 max-w-full">
      <video
        ref={video}
        src={file.url}
        controls
        preload="metadata"
        playsInline
        aria-label={file.fileName}
        data-testid="attachment-video"
        className="block max-h-80 w-full rounded-lg bg-black"
      />
      <figcaption className="mt-1 flex items-center gap-2 text-xs">
        <span className="min-w-0 flex-1 truncate" title={file.fileName}>
          {file.fileName}, {formatBytes(format, file.fileSize)}
        </span>
        <a
          href={file.url}
          download={file.fileName}
          aria-label={`Download ${file.fileName}`}
          className="shrink-0 rounded-md p-1 focus-visible:outline-2 focus-visible:outline-ring"
        >
          <Download aria-hidden="true" className="size-4" />
        </a>
      </figcaption>
    </figure>
  );
}
