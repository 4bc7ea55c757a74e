"use client";

import { Download, FileText } from "lucide-react";
import type { ReactNode } from "react";
import { useFormatters } from "@/lib/format";
import { formatBytes } from "@/lib/format-bytes";
import { cn } from "@/lib/utils";
import type { MessageView } from "@/contracts/messages";
import { AudioAttachment } from "./audio-attachment";
import { PdfPreviewDialog } from "./pdf-preview-dialog";
import { VideoAttachment } from "./video-attachment";

const PDF = "application/pdf";

const cardClass = (mine: boolean) =>
  mine ? "border-primary-foreground/40" : "border-border bg-card";

function FileLabel({
  fileName,
  detail,
  children,
}: {
  fileName: string;
  detail: string;
  children?: ReactNode;
}) {
  return (
    <span className="min-w-0">
      <span className="block max-w-48 truncate font-medium">
        {children}
        {fileName}
      </span>
      <span className="block text-xs">{detail}</span>
    </span>
  );
}

/**
 * Images as thumbnails that open the conversation's lightbox; audio and video as players in
 * the bubble; PDF files as a card that opens their preview, with a download beside it; other
 * files as a named download with their size. Each player keeps a download beside it.
 */
export function MessageAttachments({
  attachments,
  mine,
  onOpenImage,
}: {
  attachments: MessageView["attachments"];
  mine: boolean;
  onOpenImage: (attachmentId: string) => void;
}) {
  const format = useFormatters();
  if (attachments.length === 0) return null;
  return (
    <ul className="mb-1 flex flex-wrap gap-2">
      {attachments.map((file) => (
        <li key={file.id} className="max-w-full">
          {file.thumbnailUrl ? (
            <button
              type="button"
              onClick={() => onOpenImage(file.id)}
              className="block overflow-hidden rounded-lg focus-visible:outline-2 focus-visible:outline-ring"
            >
              {/* Signed, short-lived URLs from Parley's storage: next/image cannot cache them. */}
              {/* eslint-disable-next-line @next/next/no-img-element */}
              <img
                src={file.thumbnailUrl}
                alt={file.fileName}
                width={file.width ?? undefined}
                height={file.height ?? undefined}
                data-testid="attachment-thumbnail"
                className="max-h-60 w-auto max-w-full object-cover"
                style={{
                  aspectRatio:
                    file.width && file.height ? `${file.width}/${file.height}` : undefined,
                }}
              />
            </button>
          ) : file.mimeType.startsWith("audio/") ? (
            <AudioAttachment file={file} mine={mine} />
          ) : file.mimeType.startsWith("video/") ? (
            <VideoAttachment file={file} />
          ) : file.mimeType === PDF ? (
            <span className={cn("flex items-center rounded-lg border text-sm", cardClass(mine))}>
              <PdfPreviewDialog file={file}>
                <button
                  type="button"
                  className="flex min-w-0 items-center gap-2 rounded-l-lg py-2 pr-1 pl-3 text-left focus-visible:outline-2 focus-visible:outline-ring"
                >
                  <FileText aria-hidden="true" className="size-5 shrink-0" />
                  <FileLabel
                    fileName={file.fileName}
                    detail={`PDF, ${formatBytes(format, file.fileSize)}`}
                  >
                    <span className="sr-only">Preview </span>
                  </FileLabel>
                </button>
              </PdfPreviewDialog>
              <a
                href={file.url}
                download={file.fileName}
                aria-label={`Download ${file.fileName}`}
                className="rounded-r-lg px-3 py-2 focus-visible:outline-2 focus-visible:outline-ring"
              >
                <Download aria-hidden="true" className="size-4" />
              </a>
            </span>
          ) : (
            <a
              href={file.url}
              target="_blank"
              rel="noopener noreferrer"
              className={cn(
                "flex items-center gap-2 rounded-lg border px-3 py-2 text-sm focus-visible:outline-2 focus-visible:outline-ring",
                cardClass(mine),
              )}
            >
              <FileText aria-hidden="true" className="size-5 shrink-0" />
              <FileLabel fileName={file.fileName} detail={formatBytes(format, file.fileSize)} />
              <Download aria-hidden="true" className="size-4 shrink-0" />
            </a>
          )}
        </li>
      ))}
    </ul>
  );
}
