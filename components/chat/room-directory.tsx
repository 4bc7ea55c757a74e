"use client";

import { useInfiniteQuery, useMutation, useQueryClient } from "@tanstack/react-query";
import { Search } from "lucide-react";
import { useDeferredValue, useState } from "react";
import { Avatar } from "@/components/ui/avatar";
import { Button } from "@/components/ui/button";
import { InlineError } from "@/components/ui/inline-error";
import { Input } from "@/components/ui/input";
import { LoadMoreButton } from "@/components/ui/load-more-button";
import { Skeleton } from "@/components/ui/skeleton";
import { toast } from "@/components/ui/toaster";
import { useFormatters } from "@/lib/format";
import { errorMessage } from "@/lib/forms";
import { useTRPC } from "@/lib/trpc/react";
import type { PublicRoom } from "@/contracts/chats";

/**
 * The public rooms anyone can join, found by name or description: "Join" makes me a member
 * and opens the room; one I am in already just opens.
 */
export function RoomDirectory({ onOpen }: { onOpen: (chatId: string) => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const format = useFormatters();
  const [query, setQuery] = useState("");
  const deferred = useDeferredValue(query.trim());
  const rooms = useInfiniteQuery(
    trpc.chats.directory.infiniteQueryOptions(
      { query: deferred || undefined, limit: 20 },
      { getNextPageParam: (page) => page.nextCursor ?? undefined },
    ),
  );
  const join = useMutation(
    trpc.chats.join.mutationOptions({
      onSuccess: async (chat) => {
        toast.success(`You joined “${chat.title}”`);
        await queryClient.invalidateQueries({ queryKey: trpc.chats.list.infiniteQueryKey() });
        onOpen(chat.id);
      },
      onError: (error) => toast.error(errorMessage(error)),
    }),
  );
  const items = rooms.data?.pages.flatMap((page) => page.items);

  const row = (room: PublicRoom) => (
    <li key={room.id} className="flex items-center gap-3 py-2">
      <Avatar name={room.name} image={room.image} />
      <div className="min-w-0 flex-1">
        <p className="truncate text-sm font-medium">{room.name}</p>
        <p className="truncate text-xs text-muted-foreground">
          {room.memberCount === 1 ? "1 member" : `${format.number(room.memberCount)} members`}
          {room.description ? ` · ${room.description}` : ""}
        </p>
      </div>
      {room.joined ? (
        <Button variant="outline" size="sm" onClick={() => onOpen(room.id)}>
          Open<span className="sr-only"> {room.name}</span>
        </Button>
      ) : (
        <Button
          size="sm"
          disabled={join.isPending}
          onClick={() => join.mutate({ chatId: room.id })}
        >
          Join<span className="sr-only"> {room.name}</span>
        </Button>
      )}
    </li>
  );

  return (
    <div className="space-y-3">
      <div className="relative">
        <Search
          aria-hidden="true"
          className="pointer-events-none absolute top-1/2 left-3 size-4 -translate-y-1/2 text-muted-foreground"
        />
        <Input
          type="search"
          aria-label="Find a room"
          placeholder="Find a room by name or topic"
          value={query}
          maxLength={100}
          onChange={(event) => setQuery(event.target.value)}
          className="pl-9"
        />
      </div>
      {items ? (
        items.length === 0 ? (
          <p className="py-4 text-center text-sm text-muted-foreground">
            {deferred
              ? `No public room matches “${deferred}”.`
              : "No public rooms yet. Make a group public to list it here."}
          </p>
        ) : (
          <ul
            aria-label="Public rooms"
            className="max-h-80 divide-y divide-border overflow-y-auto"
            aria-busy={rooms.isFetching}
          >
            {items.map(row)}
          </ul>
        )
      ) : rooms.isError ? (
        <InlineError message="Could not load the rooms." onRetry={() => void rooms.refetch()} />
      ) : (
        <div className="space-y-2" aria-busy="true">
          <Skeleton className="h-10 w-full" />
          <Skeleton className="h-10 w-full" />
        </div>
      )}
      <LoadMoreButton query={rooms} label="Show more rooms" />
    </div>
  );
}
