"use client";

import { useInfiniteQuery } from "@tanstack/react-query";
import { useId } from "react";
import { InlineError } from "@/components/ui/inline-error";
import { LoadMoreButton } from "@/components/ui/load-more-button";
import { Skeleton } from "@/components/ui/skeleton";
import { useFormatters } from "@/lib/format";
import { useTRPC } from "@/lib/trpc/react";
import { repliesText } from "./thread-summary";

const PAGE = 10;

/**
 * The chat's threads, the latest reply first, the ones with replies the reader follows and
 * has not read marked: each opens its thread.
 */
export function InfoPanelThreads({
  chatId,
  onOpenThread,
}: {
  chatId: string;
  onOpenThread: (thread: { rootId: string; seq: number }) => void;
}) {
  const trpc = useTRPC();
  const format = useFormatters();
  const headingId = useId();
  const threads = useInfiniteQuery(
    trpc.threads.list.infiniteQueryOptions(
      { chatId, limit: PAGE },
      { getNextPageParam: (page) => page.nextCursor ?? undefined, staleTime: 0 },
    ),
  );
  const items = threads.data?.pages.flatMap((page) => page.items);

  return (
    <section aria-labelledby={headingId} className="space-y-2 p-4" data-testid="chat-threads">
      <h3 id={headingId} className="text-sm font-semibold">
        Threads
      </h3>
      {items ? (
        items.length === 0 ? (
          <p className="text-sm text-muted-foreground">
            No threads yet. Choose “Reply in thread” on a message to start one.
          </p>
        ) : (
          <ul className="max-h-72 space-y-1 overflow-y-auto">
            {items.map((thread) => (
              <li key={thread.rootId}>
                <button
                  type="button"
                  className="w-full rounded-md px-2 py-1.5 text-left hover:bg-accent focus-visible:outline-2 focus-visible:outline-ring"
                  onClick={() => onOpenThread({ rootId: thread.rootId, seq: thread.seq })}
                >
                  <span className="flex items-baseline justify-between gap-2 text-xs text-muted-foreground">
                    <span className="truncate font-medium text-foreground">
                      {thread.sender?.name ?? "Deleted user"}
                    </span>
                    <time
                      dateTime={thread.lastReplyAt.toISOString()}
                      title={format.dateTime(thread.lastReplyAt)}
                    >
                      {format.date(thread.lastReplyAt)}
                    </time>
                  </span>
                  <span className="line-clamp-2 text-sm">
                    {thread.deleted ? "Message deleted" : thread.preview}
                  </span>
                  <span className="mt-0.5 flex items-center gap-1.5 text-xs">
                    <span className="font-medium text-primary-text">
                      {repliesText(thread.replyCount)}
                    </span>
                    {thread.unread ? (
                      <span className="font-semibold text-destructive-text">New replies</span>
                    ) : thread.following ? (
                      <span className="text-muted-foreground">Following</span>
                    ) : null}
                  </span>
                  <span className="sr-only">. Open the thread</span>
                </button>
              </li>
            ))}
          </ul>
        )
      ) : threads.isError ? (
        <InlineError message="Could not load the threads." onRetry={() => void threads.refetch()} />
      ) : (
        <Skeleton className="h-10 w-full" />
      )}
      <LoadMoreButton query={threads} label="Show more threads" />
    </section>
  );
}
