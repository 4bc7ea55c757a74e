"use client";

import { useFormatters } from "@/lib/format";
import { cn } from "@/lib/utils";
import type { SearchHit } from "@/contracts/messages";

/**
 * One search result as a listbox option: where and by whom, and the snippet with the
 * matched words marked. The snippet arrives already split into parts, so the user's text
 * is only ever rendered as text.
 */
export function SearchHitOption({
  hit,
  mine,
  id,
  active,
  onChoose,
  onHover,
}: {
  hit: SearchHit;
  /** I sent it. */
  mine: boolean;
  id: string;
  active: boolean;
  onChoose: () => void;
  onHover: () => void;
}) {
  const format = useFormatters();
  return (
    <li
      id={id}
      role="option"
      aria-selected={active}
      data-testid="search-hit"
      onClick={onChoose}
      onMouseMove={onHover}
      className={cn(
        "cursor-pointer rounded-md border-l-4 px-3 py-2",
        active ? "border-primary-text bg-accent" : "border-transparent",
      )}
    >
      <span className="flex items-baseline gap-2">
        <span className="truncate text-sm font-medium">{hit.chatTitle}</span>
        <time
          dateTime={new Date(hit.createdAt).toISOString()}
          className="ml-auto shrink-0 text-xs text-muted-foreground"
        >
          {format.dateTime(hit.createdAt)}
        </time>
      </span>
      <span className="block text-xs text-muted-foreground">
        {mine ? "You" : (hit.sender?.name ?? "Someone")}
        <span className="sr-only">:</span>
      </span>
      <span className="mt-0.5 line-clamp-2 text-sm break-words" data-testid="search-snippet">
        {hit.snippet.map((part, index) =>
          part.match ? (
            <mark
              key={index}
              className="rounded-sm bg-primary-soft px-0.5 font-semibold text-primary-text underline decoration-2 underline-offset-2"
            >
              {part.text}
            </mark>
          ) : (
            <span key={index}>{part.text}</span>
          ),
        )}
      </span>
    </li>
  );
}
