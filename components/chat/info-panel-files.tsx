"use client";

import { useInfiniteQuery } from "@tanstack/react-query";
import { Download, Eye, Film } from "lucide-react";
import { Tabs } from "radix-ui";
import { useId, useState } from "react";
import { Button } from "@/components/ui/button";
import { InlineError } from "@/components/ui/inline-error";
import { LoadMoreButton } from "@/components/ui/load-more-button";
import { Skeleton } from "@/components/ui/skeleton";
import { useFormatters } from "@/lib/format";
import { fileTypeName } from "@/lib/file-type-names";
import { formatBytes } from "@/lib/format-bytes";
import { useTRPC } from "@/lib/trpc/react";
import type { ChatFile } from "@/contracts/chat-files";
import { PdfPreviewDialog } from "./pdf-preview-dialog";

const PAGE = 12;
const tabClassName =
  "flex-1 rounded-md px-2 py-1 text-xs font-medium text-muted-foreground focus-visible:outline-2 focus-visible:outline-ring data-[state=active]:bg-card data-[state=active]:text-foreground data-[state=active]:shadow-sm";

/**
 * The chat's pictures and videos, and its other files, newest first: each shows where it
 * was sent in the conversation; files download from here too.
 */
export function InfoPanelFiles({
  chatId,
  onJumpTo,
}: {
  chatId: string;
  onJumpTo: (seq: number) => void;
}) {
  const headingId = useId();
  const [kind, setKind] = useState<"media" | "files">("media");
  return (
    <section aria-labelledby={headingId} className="space-y-2 p-4" data-testid="chat-files">
      <h3 id={headingId} className="text-sm font-semibold">
        Media and files
      </h3>
      <Tabs.Root value={kind} onValueChange={(value) => setKind(value as "media" | "files")}>
        <Tabs.List aria-label="Kind of file" className="mb-2 flex gap-1 rounded-lg bg-muted p-1">
          <Tabs.Trigger value="media" className={tabClassName}>
            Media
          </Tabs.Trigger>
          <Tabs.Trigger value="files" className={tabClassName}>
            Files
          </Tabs.Trigger>
        </Tabs.List>
        <Tabs.Content value="media" className="focus-visible:outline-none">
          {kind === "media" ? <FileList chatId={chatId} kind="media" onJumpTo={onJumpTo} /> : null}
        </Tabs.Content>
        <Tabs.Content value="files" className="focus-visible:outline-none">
          {kind === "files" ? <FileList chatId={chatId} kind="files" onJumpTo={onJumpTo} /> : null}
        </Tabs.Content>
      </Tabs.Root>
    </section>
  );
}

function FileList({
  chatId,
  kind,
  onJumpTo,
}: {
  chatId: string;
  kind: "media" | "files";
  onJumpTo: (seq: number) => void;
}) {
  const trpc = useTRPC();
  const format = useFormatters();
  // Files arrive with any message: list them again each time the panel opens.
  const files = useInfiniteQuery(
    trpc.chats.files.infiniteQueryOptions(
      { chatId, kind, limit: PAGE },
      { getNextPageParam: (page) => page.nextCursor ?? undefined, staleTime: 0 },
    ),
  );
  const items = files.data?.pages.flatMap((page) => page.items);
  if (!items) {
    return files.isError ? (
      <InlineError message="Could not load the files." onRetry={() => void files.refetch()} />
    ) : (
      <Skeleton className="h-16 w-full" />
    );
  }
  if (items.length === 0) {
    return (
      <p className="text-sm text-muted-foreground">
        {kind === "media" ? "No pictures or videos shared yet." : "No files shared yet."}
      </p>
    );
  }
  const describe = (file: ChatFile) =>
    `${file.fileName}, from ${file.sender?.name ?? "a deleted user"}, ${format.date(file.createdAt)}`;
  return (
    <div className="space-y-2">
      {kind === "media" ? (
        <ul className="grid grid-cols-3 gap-1" aria-label="Pictures and videos">
          {items.map((file) => (
            <li key={file.id}>
              <button
                type="button"
                className="block aspect-square w-full overflow-hidden rounded-md bg-muted focus-visible:outline-2 focus-visible:outline-ring"
                aria-label={`${describe(file)}. Show in the conversation`}
                title={file.fileName}
                onClick={() => onJumpTo(file.seq)}
              >
                {file.thumbnailUrl || file.mimeType.startsWith("image/") ? (
                  // eslint-disable-next-line @next/next/no-img-element -- a signed storage URL
                  <img
                    src={file.thumbnailUrl ?? file.url}
                    alt=""
                    className="size-full object-cover"
                    loading="lazy"
                  />
                ) : (
                  <Film aria-hidden="true" className="m-auto size-6 text-muted-foreground" />
                )}
              </button>
            </li>
          ))}
        </ul>
      ) : (
        <ul className="space-y-1" aria-label="Files">
          {items.map((file) => (
            <li key={file.id} className="flex items-center gap-1 text-sm">
              <button
                type="button"
                className="min-w-0 flex-1 rounded-md px-1 py-1 text-left hover:bg-accent focus-visible:outline-2 focus-visible:outline-ring"
                aria-label={`${describe(file)}. Show in the conversation`}
                onClick={() => onJumpTo(file.seq)}
              >
                <span className="block truncate">{file.fileName}</span>
                <span className="block text-xs text-muted-foreground">
                  {fileTypeName(file.mimeType)} · {formatBytes(format, file.fileSize)} ·{" "}
                  {format.date(file.createdAt)}
                </span>
              </button>
              {file.mimeType === "application/pdf" ? (
                <PdfPreviewDialog file={file}>
                  <Button
                    variant="ghost"
                    size="icon"
                    className="size-8 shrink-0"
                    aria-label={`Preview ${file.fileName}`}
                  >
                    <Eye aria-hidden="true" />
                  </Button>
                </PdfPreviewDialog>
              ) : null}
              <Button asChild variant="ghost" size="icon" className="size-8 shrink-0">
                <a
                  href={file.url}
                  download={file.fileName}
                  aria-label={`Download ${file.fileName}`}
                >
                  <Download aria-hidden="true" />
                </a>
              </Button>
            </li>
          ))}
        </ul>
      )}
      <LoadMoreButton query={files} label="Show more" />
    </div>
  );
}
