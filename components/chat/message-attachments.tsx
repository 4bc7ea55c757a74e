"use client";

import { Download, FileText } from "lucide-react";
import { useFormatters } from "@/lib/format";
import { formatBytes } from "@/lib/format-bytes";
import { cn } from "@/lib/utils";
import type { MessageView } from "@/contracts/messages";

/**
 * Images as thumbnails that open the conversation's lightbox; other files as a named link
 * with their size.
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
        <li key={file.id}>
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
          ) : (
            <a
              href={file.url}
              target="_blank"
              rel="noopener noreferrer"
              className={cn(
                "flex items-center gap-2 rounded-lg border px-3 py-2 text-sm focus-visible:outline-2 focus-visible:outline-ring",
                mine ? "border-primary-foreground/40" : "border-border bg-card",
              )}
            >
              <FileText aria-hidden="true" className="size-5 shrink-0" />
              <span className="min-w-0">
                <span className="block max-w-48 truncate font-medium">{file.fileName}</span>
                <span className="block text-xs">{formatBytes(format, file.fileSize)}</span>
              </span>
              <Download aria-hidden="true" className="size-4 shrink-0" />
            </a>
          )}
        </li>
      ))}
    </ul>
  );
}
