"use client";

import { useQuery } from "@tanstack/react-query";
import { useId } from "react";
import { InlineError } from "@/components/ui/inline-error";
import { Skeleton } from "@/components/ui/skeleton";
import { useFormatters } from "@/lib/format";
import { fileTypeName } from "@/lib/file-type-names";
import { formatBytes } from "@/lib/format-bytes";
import { useTRPC } from "@/lib/trpc/react";

/** How many kinds of file to list; the rest are in the totals. */
const SHOWN_TYPES = 5;

/** How many files were shared in the chat and how much room they take, by kind. */
export function InfoPanelStorage({ chatId }: { chatId: string }) {
  const trpc = useTRPC();
  const format = useFormatters();
  const headingId = useId();
  // Files arrive with any message: count again each time the panel opens.
  const stats = useQuery(trpc.chats.storageStats.queryOptions({ chatId }, { staleTime: 0 }));
  const data = stats.data;

  return (
    <section aria-labelledby={headingId} className="space-y-2 p-4" data-testid="storage-stats">
      <h3 id={headingId} className="text-sm font-semibold">
        Space used
      </h3>
      {data ? (
        data.count === 0 ? (
          <p className="text-sm text-muted-foreground">No files shared yet.</p>
        ) : (
          <>
            <p className="text-sm" data-testid="storage-total">
              {data.count === 1 ? "1 file" : `${format.number(data.count)} files`} ·{" "}
              {formatBytes(format, data.totalBytes)}
            </p>
            <ul className="space-y-1 text-xs text-muted-foreground">
              {data.byType.slice(0, SHOWN_TYPES).map((type) => (
                <li key={type.mimeType} className="flex justify-between gap-2">
                  <span className="truncate" title={type.mimeType}>
                    {fileTypeName(type.mimeType)}
                  </span>
                  <span className="shrink-0 tabular-nums">
                    {format.number(type.count)} · {formatBytes(format, type.bytes)}
                  </span>
                </li>
              ))}
            </ul>
          </>
        )
      ) : stats.isError ? (
        <InlineError
          message="Could not load the file totals."
          onRetry={() => void stats.refetch()}
        />
      ) : (
        <Skeleton className="h-5 w-32" />
      )}
    </section>
  );
}
