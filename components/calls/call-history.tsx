"use client";

import { useInfiniteQuery } from "@tanstack/react-query";
import { Phone, PhoneMissed, Video } from "lucide-react";
import { useId } from "react";
import { InlineError } from "@/components/ui/inline-error";
import { LoadMoreButton } from "@/components/ui/load-more-button";
import { Skeleton } from "@/components/ui/skeleton";
import type { Call } from "@/contracts/calls";
import { formatCallDuration } from "@/lib/calls/call-text";
import { useFormatters } from "@/lib/format";
import { useTRPC } from "@/lib/trpc/react";

const PAGE = 10;

function outcome(call: Call): string {
  switch (call.status) {
    case "ringing":
      return "Ringing";
    case "active":
      return "Going on now";
    case "missed":
      return "Missed";
    case "declined":
      return "Declined";
    case "ended":
      return call.durationSeconds === null ? "Ended" : formatCallDuration(call.durationSeconds);
  }
}

/** The chat's calls, newest first: who called, when, and how each went. */
export function CallHistory({ chatId }: { chatId: string }) {
  const trpc = useTRPC();
  const format = useFormatters();
  const headingId = useId();
  const calls = useInfiniteQuery(
    trpc.calls.history.infiniteQueryOptions(
      { chatId, limit: PAGE },
      { getNextPageParam: (page) => page.nextCursor ?? undefined, staleTime: 0 },
    ),
  );
  const items = calls.data?.pages.flatMap((page) => page.items);
  return (
    <section aria-labelledby={headingId} className="space-y-2 p-4" data-testid="chat-calls">
      <h3 id={headingId} className="text-sm font-semibold">
        Calls
      </h3>
      {items ? (
        items.length === 0 ? (
          <p className="text-sm text-muted-foreground">No calls yet.</p>
        ) : (
          <ul className="max-h-72 space-y-1 overflow-y-auto">
            {items.map((call) => {
              const Icon =
                call.status === "missed" ? PhoneMissed : call.kind === "video" ? Video : Phone;
              return (
                <li key={call.id} className="flex items-center gap-2 px-2 py-1.5 text-sm">
                  <Icon
                    aria-hidden="true"
                    className={
                      call.status === "missed"
                        ? "size-4 text-destructive-text"
                        : "size-4 text-muted-foreground"
                    }
                  />
                  <span className="min-w-0 flex-1 truncate">
                    {call.kind === "video" ? "Video call" : "Audio call"} from{" "}
                    {call.initiator?.name ?? "Deleted user"}
                  </span>
                  <span className="text-xs text-muted-foreground">
                    {outcome(call)} ·{" "}
                    <time
                      dateTime={call.createdAt.toISOString()}
                      title={format.dateTime(call.createdAt)}
                    >
                      {format.date(call.createdAt)}
                    </time>
                  </span>
                </li>
              );
            })}
          </ul>
        )
      ) : calls.isError ? (
        <InlineError message="Could not load the calls." onRetry={() => void calls.refetch()} />
      ) : (
        <Skeleton className="h-10 w-full" />
      )}
      <LoadMoreButton query={calls} label="Show more calls" />
    </section>
  );
}
