"use client";

import { useInfiniteQuery, useMutation, useQueryClient } from "@tanstack/react-query";
import { Bookmark, BookmarkMinus } from "lucide-react";
import { useRouter } from "next/navigation";
import { useRef, useState } from "react";
import { Button } from "@/components/ui/button";
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogHeader,
  DialogTitle,
  DialogTrigger,
} from "@/components/ui/dialog";
import { InlineError } from "@/components/ui/inline-error";
import { LoadMoreButton } from "@/components/ui/load-more-button";
import { Skeleton } from "@/components/ui/skeleton";
import { toast } from "@/components/ui/toaster";
import { Tooltip } from "@/components/ui/tooltip";
import { errorMessage } from "@/lib/forms";
import { useUserChannel } from "@/lib/realtime/hooks";
import { useTRPC } from "@/lib/trpc/react";
import type { SavedMessage } from "@/contracts/pins";
import { MarkedMessageSummary } from "./marked-message-summary";
import { openMessage } from "./use-message-link";

/**
 * "Saved messages": what I kept for later from any of my chats, the latest saved first.
 * Choosing one opens its chat at the message; each can be removed from here.
 */
export function SavedDialog() {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const chosen = useRef(false);

  const choose = (item: SavedMessage) => {
    chosen.current = true;
    setOpen(false);
    openMessage(router, item.chatId, item.seq);
  };

  return (
    <Dialog
      open={open}
      onOpenChange={(next) => {
        if (next) chosen.current = false;
        setOpen(next);
      }}
    >
      <Tooltip content="Saved messages">
        <DialogTrigger asChild>
          <Button size="icon" variant="outline" aria-label="Saved messages">
            <Bookmark aria-hidden="true" />
          </Button>
        </DialogTrigger>
      </Tooltip>
      <DialogContent
        className="top-[12vh] max-w-xl translate-y-0"
        onCloseAutoFocus={(event) => {
          // The conversation focuses the chosen message.
          if (chosen.current) event.preventDefault();
        }}
      >
        <DialogHeader>
          <DialogTitle>Saved messages</DialogTitle>
          <DialogDescription>
            Messages you saved for later, from all your chats. Only you see them.
          </DialogDescription>
        </DialogHeader>
        {open ? <SavedList onChoose={choose} /> : null}
      </DialogContent>
    </Dialog>
  );
}

function SavedList({ onChoose }: { onChoose: (item: SavedMessage) => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const saved = useInfiniteQuery(
    trpc.saved.list.infiniteQueryOptions(
      {},
      { getNextPageParam: (page) => page.nextCursor ?? undefined, staleTime: 0 },
    ),
  );
  const remove = useMutation(
    trpc.saved.remove.mutationOptions({
      onSuccess: () =>
        queryClient.invalidateQueries({ queryKey: trpc.saved.list.infiniteQueryKey() }),
      onError: (error) => toast.error(errorMessage(error)),
    }),
  );
  const items = saved.data?.pages.flatMap((page) => page.items);
  // Saved or removed in another tab: the list follows.
  useUserChannel({
    "saved.changed": () =>
      void queryClient.invalidateQueries({ queryKey: trpc.saved.list.infiniteQueryKey() }),
  });

  if (!items) {
    return saved.isError ? (
      <InlineError
        message="Could not load your saved messages."
        onRetry={() => void saved.refetch()}
      />
    ) : (
      <div className="space-y-2" aria-busy="true">
        <Skeleton className="h-14 w-full" />
        <Skeleton className="h-14 w-full" />
      </div>
    );
  }
  if (items.length === 0) {
    return (
      <p className="py-6 text-center text-sm text-muted-foreground">
        Nothing saved yet. Choose “Save for later” in a message’s actions to keep it here.
      </p>
    );
  }
  return (
    <div className="max-h-[60vh] space-y-2 overflow-y-auto">
      <ul className="space-y-1" data-testid="saved-messages">
        {items.map((item) => (
          <li key={item.messageId} className="group/saved flex items-start gap-1">
            <button
              type="button"
              onClick={() => onChoose(item)}
              className="flex min-w-0 flex-1 gap-3 rounded-md p-2 text-left hover:bg-accent focus-visible:outline-2 focus-visible:outline-ring"
            >
              <MarkedMessageSummary item={item} />
            </button>
            <Tooltip content="Remove from saved">
              <Button
                variant="ghost"
                size="icon"
                className="size-8 shrink-0 opacity-0 group-hover/saved:opacity-100 focus-visible:opacity-100 [@media(hover:none)]:opacity-100"
                aria-label={`Remove the message from ${item.sender?.name ?? "a deleted user"} from saved`}
                disabled={remove.isPending}
                onClick={() => remove.mutate({ messageId: item.messageId })}
              >
                <BookmarkMinus aria-hidden="true" />
              </Button>
            </Tooltip>
          </li>
        ))}
      </ul>
      <LoadMoreButton query={saved} label="Show more" />
    </div>
  );
}
