"use client";

import { keepPreviousData, useInfiniteQuery } from "@tanstack/react-query";
import { Search } from "lucide-react";
import { useEffect, useId, useMemo, useState, type KeyboardEvent } from "react";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { errorMessage } from "@/lib/forms";
import { useDebouncedValue } from "@/lib/hooks/use-debounced-value";
import { useTRPC } from "@/lib/trpc/react";
import type { SearchHit } from "@/contracts/messages";
import { SearchHitOption } from "./search-hit";

const PAGE = 20;
const DEBOUNCE_MS = 250;
const MAX_QUERY = 200;

/**
 * A combobox over my messages in all my chats: type, move through the results with the
 * arrow keys, Enter opens one. More results load at the end of the list.
 */
export function SearchResults({
  myId,
  query,
  onQueryChange,
  onChoose,
}: {
  myId: string;
  query: string;
  onQueryChange: (query: string) => void;
  onChoose: (hit: SearchHit) => void;
}) {
  const trpc = useTRPC();
  const id = useId();
  const listId = `${id}-results`;
  const optionId = (index: number) => `${id}-hit-${index}`;
  const settled = useDebouncedValue(query.trim(), DEBOUNCE_MS);
  const search = useInfiniteQuery(
    trpc.messages.search.infiniteQueryOptions(
      { query: settled, limit: PAGE },
      {
        enabled: settled.length > 0,
        getNextPageParam: (page) => page.nextCursor ?? undefined,
        placeholderData: keepPreviousData,
        staleTime: 30_000,
      },
    ),
  );
  const hits = useMemo(
    () => (settled ? (search.data?.pages.flatMap((page) => page.hits) ?? []) : []),
    [settled, search.data],
  );

  // A new search starts at its first result.
  const [active, setActive] = useState(0);
  const [activeFor, setActiveFor] = useState(settled);
  if (activeFor !== settled) {
    setActiveFor(settled);
    setActive(0);
  }
  const current = Math.min(active, hits.length - 1);

  // Keep the active result in view as the arrow keys move through a long list.
  const activeId = current >= 0 ? optionId(current) : undefined;
  useEffect(() => {
    if (activeId) document.getElementById(activeId)?.scrollIntoView({ block: "nearest" });
  }, [activeId]);

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === "ArrowDown") {
      event.preventDefault();
      if (current === hits.length - 1 && search.hasNextPage && !search.isFetchingNextPage) {
        void search.fetchNextPage();
      }
      setActive(Math.min(current + 1, hits.length - 1));
    } else if (event.key === "ArrowUp") {
      event.preventDefault();
      setActive(Math.max(current - 1, 0));
    } else if (event.key === "Enter") {
      const hit = hits[current];
      if (!hit) return;
      event.preventDefault();
      onChoose(hit);
    }
  };

  const waiting = query.trim() !== settled || (search.isFetching && !search.isFetchingNextPage);
  const status = !settled
    ? "Type a word or phrase to search all your chats."
    : search.isError
      ? null
      : waiting && hits.length === 0
        ? "Searching…"
        : hits.length === 0
          ? `No messages match “${settled}”.`
          : `${hits.length}${search.hasNextPage ? "+" : ""} ${hits.length === 1 ? "result" : "results"}${waiting ? ", searching…" : ""}`;

  return (
    <div className="space-y-3">
      <div className="relative">
        <Search
          aria-hidden="true"
          className="pointer-events-none absolute top-1/2 left-3 size-4 -translate-y-1/2 text-muted-foreground"
        />
        <Input
          role="combobox"
          aria-label="Search messages"
          aria-autocomplete="list"
          aria-controls={listId}
          aria-expanded={hits.length > 0}
          aria-activedescendant={activeId}
          type="search"
          autoComplete="off"
          spellCheck={false}
          maxLength={MAX_QUERY}
          placeholder="Search messages"
          value={query}
          onChange={(event) => onQueryChange(event.target.value)}
          onKeyDown={onKeyDown}
          className="pl-9"
        />
      </div>
      <p role="status" className="min-h-5 text-sm text-muted-foreground">
        {status}
      </p>
      {search.isError && settled ? (
        <div
          role="alert"
          className="flex flex-wrap items-center gap-2 text-sm text-destructive-text"
        >
          Search failed: {errorMessage(search.error)}
          <Button variant="outline" size="sm" onClick={() => void search.refetch()}>
            Try again
          </Button>
        </div>
      ) : null}
      <ul
        id={listId}
        role="listbox"
        aria-label="Results"
        className="-mx-2 max-h-[min(60vh,28rem)] space-y-1 overflow-y-auto px-2"
        hidden={hits.length === 0}
      >
        {hits.map((hit, index) => (
          <SearchHitOption
            key={hit.messageId}
            id={optionId(index)}
            hit={hit}
            mine={hit.sender?.id === myId}
            active={index === current}
            onChoose={() => onChoose(hit)}
            onHover={() => setActive(index)}
          />
        ))}
      </ul>
      {search.hasNextPage && hits.length > 0 ? (
        <Button
          variant="ghost"
          size="sm"
          className="w-full"
          disabled={search.isFetchingNextPage}
          onClick={() => void search.fetchNextPage()}
        >
          {search.isFetchingNextPage ? "Loading more results…" : "More results"}
        </Button>
      ) : null}
    </div>
  );
}
