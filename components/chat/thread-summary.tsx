"use client";

import { Avatar } from "@/components/ui/avatar";
import { useFormatters } from "@/lib/format";
import type { ThreadSummary } from "@/contracts/messages";

/** "1 reply", "3 replies". */
export function repliesText(count: number): string {
  return `${count} ${count === 1 ? "reply" : "replies"}`;
}

/**
 * Under a message with a thread: how many replies, who replied last, when, and whether there
 * are replies the reader follows and has not read. Opens the thread.
 */
export function ThreadSummaryButton({
  thread,
  onOpen,
}: {
  thread: ThreadSummary;
  onOpen: () => void;
}) {
  const format = useFormatters();
  // A clock time or a date, not "5 minutes ago": the server renders this too, a moment earlier.
  const when = format.isToday(thread.lastReplyAt)
    ? `at ${format.time(thread.lastReplyAt)}`
    : `on ${format.date(thread.lastReplyAt)}`;
  return (
    <button
      type="button"
      data-testid="thread-summary"
      onClick={onOpen}
      aria-label={`${repliesText(thread.replyCount)}, last reply ${when}${thread.unread ? ", unread" : ""}. Open the thread`}
      className="mt-1 inline-flex flex-wrap items-center gap-x-2 gap-y-0.5 rounded-md px-1.5 py-1 text-left text-xs hover:bg-accent focus-visible:outline-2 focus-visible:outline-ring"
    >
      <span className="flex -space-x-1.5" aria-hidden="true">
        {thread.participants.slice(0, 3).map((person) => (
          <Avatar
            key={person.id}
            name={person.name}
            image={person.image}
            className="size-5 ring-2 ring-background"
          />
        ))}
      </span>
      <span className="font-semibold whitespace-nowrap text-primary-text">
        {repliesText(thread.replyCount)}
      </span>
      <span
        className="whitespace-nowrap text-muted-foreground"
        title={format.dateTime(thread.lastReplyAt)}
      >
        Last reply {when}
      </span>
      {thread.unread ? (
        <span aria-hidden="true" className="size-2 rounded-full bg-destructive-text" />
      ) : null}
    </button>
  );
}
