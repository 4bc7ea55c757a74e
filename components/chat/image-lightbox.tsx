"use client";

import { ChevronLeft, ChevronRight, ExternalLink } from "lucide-react";
import { useRef, type KeyboardEvent } from "react";
import { Button } from "@/components/ui/button";
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogHeader,
  DialogTitle,
} from "@/components/ui/dialog";
import type { MessageView } from "@/contracts/messages";

export interface LightboxImage {
  id: string;
  url: string;
  fileName: string;
  width: number | null;
  height: number | null;
}

/** The images of the loaded messages, oldest first: what the lightbox steps through. */
export function lightboxImages(messages: readonly MessageView[]): LightboxImage[] {
  return messages
    .filter((message) => !message.deleted)
    .flatMap((message) =>
      message.attachments
        .filter((file) => file.thumbnailUrl !== null)
        .map(({ id, url, fileName, width, height }) => ({ id, url, fileName, width, height })),
    );
}

/**
 * One image of the conversation at full size, with the previous and next ones a click or an
 * arrow key away, and the original to open or save. Closing returns the focus to the
 * thumbnail that opened it.
 */
export function ImageLightbox({
  images,
  openId,
  onOpenIdChange,
}: {
  images: readonly LightboxImage[];
  openId: string | null;
  onOpenIdChange: (id: string | null) => void;
}) {
  // Opened from a thumbnail, not a DialogTrigger: Radix would hand the focus back to no one.
  const opener = useRef<HTMLElement | null>(null);
  const index = openId === null ? -1 : images.findIndex((image) => image.id === openId);
  const image = images[index];
  const previous = images[index - 1];
  const next = images[index + 1];
  const onKeyDown = (event: KeyboardEvent) => {
    const to = event.key === "ArrowLeft" ? previous : event.key === "ArrowRight" ? next : null;
    if (!to) return;
    event.preventDefault();
    onOpenIdChange(to.id);
  };
  return (
    <Dialog open={image !== undefined} onOpenChange={(open) => !open && onOpenIdChange(null)}>
      {image ? (
        <DialogContent
          className="max-w-5xl"
          onKeyDown={onKeyDown}
          onOpenAutoFocus={() => {
            opener.current =
              document.activeElement instanceof HTMLElement ? document.activeElement : null;
          }}
          onCloseAutoFocus={(event) => {
            if (!opener.current?.isConnected) return;
            event.preventDefault();
            opener.current.focus();
          }}
        >
          <DialogHeader>
            <DialogTitle className="truncate pr-8">{image.fileName}</DialogTitle>
            <DialogDescription>
              Image {index + 1} of {images.length} in this conversation
            </DialogDescription>
          </DialogHeader>
          {/* Signed, short-lived URLs from Parley's storage: next/image cannot cache them. */}
          {/* eslint-disable-next-line @next/next/no-img-element */}
          <img
            key={image.id}
            src={image.url}
            alt={image.fileName}
            width={image.width ?? undefined}
            height={image.height ?? undefined}
            data-testid="lightbox-image"
            className="mx-auto max-h-[65dvh] w-auto max-w-full object-contain"
          />
          <div className="flex items-center justify-between gap-2">
            <Button
              variant="outline"
              size="sm"
              disabled={!previous}
              onClick={() => previous && onOpenIdChange(previous.id)}
            >
              <ChevronLeft aria-hidden="true" />
              Previous
            </Button>
            <Button asChild variant="ghost" size="sm">
              <a href={image.url} target="_blank" rel="noopener noreferrer">
                <ExternalLink aria-hidden="true" />
                Open original
              </a>
            </Button>
            <Button
              variant="outline"
              size="sm"
              disabled={!next}
              onClick={() => next && onOpenIdChange(next.id)}
            >
              Next
              <ChevronRight aria-hidden="true" />
            </Button>
          </div>
        </DialogContent>
      ) : null}
    </Dialog>
  );
}
