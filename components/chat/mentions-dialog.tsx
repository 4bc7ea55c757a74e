"use client";

import { useInfiniteQuery } from "@tanstack/react-query";
import { AtSign } from "lucide-react";
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
import { Tooltip } from "@/components/ui/tooltip";
import { useTRPC } from "@/lib/trpc/react";
import type { Mention } from "@/contracts/mentions";
import { MarkedMessageSummary } from "./marked-message-summary";
import { openMessage } from "./use-message-link";

const KIND_NOTES: Record<Mention["kind"], string | null> = {
  user: null,
  channel: "@channel",
  here: "@here",
};

/**
 * "Mentions": the messages that mention me, from all my chats, newest first, the unread ones
 * marked. Choosing one opens its chat (or its thread) at the message.
 */
export function MentionsDialog({ unread }: { unread: number }) {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const chosen = useRef(false);

  const choose = (item: Mention) => {
    chosen.current = true;
    setOpen(false);
    openMessage(router, item.chatId, item.seq);
  };

  const label = unread > 0 ? `Mentions, ${unread} unread` : "Mentions";
  return (
    <Dialog
      open={open}
      onOpenChange={(next) => {
        if (next) chosen.current = false;
        setOpen(next);
      }}
    >
      <Tooltip content="Mentions">
        <DialogTrigger asChild>
          <Button size="icon" variant="outline" aria-label={label} className="relative">
            <AtSign aria-hidden="true" />
            {unread > 0 ? (
              <span
                aria-hidden="true"
                data-testid="mentions-unread"
                className="absolute -top-1 -right-1 size-2.5 rounded-full bg-primary ring-2 ring-background"
              />
            ) : null}
          </Button>
        </DialogTrigger>
      </Tooltip>
      <DialogContent
        className="top-[12vh] max-w-xl translate-y-0"
        onCloseAutoFocus={(event) => {
          if (chosen.current) event.preventDefault();
        }}
      >
        <DialogHeader>
          <DialogTitle>Mentions</DialogTitle>
          <DialogDescription>
            Messages that mention you, or everyone with @channel or @here, from all your chats.
          </DialogDescription>
        </DialogHeader>
        {open ? <MentionList onChoose={choose} /> : null}
      </DialogContent>
    </Dialog>
  );
}

function MentionList({ onChoose }: { onChoose: (item: Mention) => void }) {
  const trpc = useTRPC();
  const mentions = useInfiniteQuery(
    trpc.mentions.list.infiniteQueryOptions(
      {},
      { getNextPageParam: (page) => page.nextCursor ?? undefined, staleTime: 0 },
    ),
  );
  const items = mentions.data?.pages.flatMap((page) => page.items);

  if (!items) {
    return mentions.isError ? (
      <InlineError
        message="Could not load your mentions."
        onRetry={() => void mentions.refetch()}
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
        No mentions yet. When someone types @ and your name, the message shows up here.
      </p>
    );
  }
  return (
    <div className="max-h-[60vh] space-y-2 overflow-y-auto">
      <ul className="space-y-1" data-testid="mentions">
        {items.map((item) => (
          <li key={item.messageId}>
            <button
              type="button"
              onClick={() => onChoose(item)}
              className="flex w-full min-w-0 gap-3 rounded-md p-2 text-left hover:bg-accent focus-visible:outline-2 focus-visible:outline-ring"
            >
              <MarkedMessageSummary
                item={item}
                note={[item.threadRootId ? "in a thread" : null, KIND_NOTES[item.kind]]
                  .filter(Boolean)
                  .join(" · ")}
                unread={item.unread}
              />
            </button>
          </li>
        ))}
      </ul>
      <LoadMoreButton query={mentions} label="Show more" />
    </div>
  );
}
