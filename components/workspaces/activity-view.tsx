"use client";

import { useSuspenseInfiniteQuery } from "@tanstack/react-query";
import { History } from "lucide-react";
import { EmptyState } from "@/components/ui/empty-state";
import { LoadMoreButton } from "@/components/ui/load-more-button";
import { RelativeTime } from "@/components/ui/relative-time";
import { useTRPC } from "@/lib/trpc/react";
import { activityText } from "@/lib/workspaces/activity-text";

/** Who joined, left, was removed or invited, and what roles may do, newest first. */
export function ActivityView() {
  const trpc = useTRPC();
  const query = useSuspenseInfiniteQuery(
    trpc.workspaces.activity.infiniteQueryOptions(
      {},
      { getNextPageParam: (page) => page.nextCursor ?? undefined },
    ),
  );
  const entries = query.data.pages.flatMap((page) => page.items);
  if (entries.length === 0) {
    return (
      <EmptyState
        icon={<History aria-hidden="true" />}
        title="Nothing has happened yet"
        description="Invitations, people joining and leaving, and role changes show here."
      />
    );
  }
  return (
    <div className="space-y-3">
      <ol
        aria-label="Workspace activity"
        className="divide-y divide-border rounded-xl border border-border bg-card"
      >
        {entries.map((entry) => (
          <li
            key={entry.id}
            className="flex flex-wrap items-baseline justify-between gap-2 px-4 py-3 text-sm"
          >
            <span className="min-w-0 break-words">{activityText(entry)}</span>
            <RelativeTime
              value={entry.createdAt}
              className="shrink-0 text-xs text-muted-foreground"
            />
          </li>
        ))}
      </ol>
      <LoadMoreButton query={query} label="Show earlier activity" />
    </div>
  );
}
