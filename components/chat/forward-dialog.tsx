"use client";

import { useInfiniteQuery, useMutation } from "@tanstack/react-query";
import { Forward } from "lucide-react";
import { useMemo, useRef, useState } from "react";
import { Avatar } from "@/components/ui/avatar";
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogHeader,
  DialogTitle,
} from "@/components/ui/dialog";
import { InlineError } from "@/components/ui/inline-error";
import { Input } from "@/components/ui/input";
import { LoadMoreButton } from "@/components/ui/load-more-button";
import { Skeleton } from "@/components/ui/skeleton";
import { toast } from "@/components/ui/toaster";
import { errorMessage } from "@/lib/forms";
import { useTRPC } from "@/lib/trpc/react";
import type { MessageView } from "@/contracts/messages";
import { CHAT_LIST_INPUT } from "./chat-list";

/**
 * "Forward…": sends a copy of a message (its text and its files) to another of my chats,
 * marked as forwarded. The chats are my chat list, narrowed by what I type.
 */
export function ForwardDialog({
  message,
  onClose,
}: {
  message: MessageView | null;
  onClose: () => void;
}) {
  const trpc = useTRPC();
  const [filter, setFilter] = useState("");
  // One key per dialog: a second click on the same chat does not forward twice.
  const keys = useRef(new Map<string, string>());
  const chats = useInfiniteQuery({
    ...trpc.chats.list.infiniteQueryOptions(CHAT_LIST_INPUT, {
      getNextPageParam: (page) => page.nextCursor ?? undefined,
    }),
    enabled: message !== null,
  });
  const forward = useMutation(trpc.messages.forward.mutationOptions());
  const items = useMemo(() => {
    const all = chats.data?.pages.flatMap((page) => page.items) ?? [];
    const wanted = filter.trim().toLocaleLowerCase();
    return wanted ? all.filter((c) => c.title.toLocaleLowerCase().includes(wanted)) : all;
  }, [chats.data, filter]);

  const send = async (chatId: string, title: string) => {
    if (!message) return;
    const key = keys.current.get(chatId) ?? crypto.randomUUID();
    keys.current.set(chatId, key);
    try {
      await forward.mutateAsync({ messageId: message.id, chatId, clientKey: key });
      toast.success(`Forwarded to ${title}`);
      close();
    } catch (error) {
      toast.error(`Not forwarded: ${errorMessage(error)}`);
    }
  };
  const close = () => {
    setFilter("");
    keys.current.clear();
    onClose();
  };

  return (
    <Dialog open={message !== null} onOpenChange={(open) => !open && close()}>
      <DialogContent>
        <DialogHeader>
          <DialogTitle>Forward message</DialogTitle>
          <DialogDescription>
            A copy goes to the chat you choose, with its files, marked as forwarded.
          </DialogDescription>
        </DialogHeader>
        <Input
          aria-label="Find a chat"
          placeholder="Find a chat"
          value={filter}
          onChange={(event) => setFilter(event.target.value)}
        />
        {chats.isError ? (
          <InlineError message="Could not load your chats." onRetry={() => void chats.refetch()} />
        ) : !chats.data ? (
          <Skeleton className="h-24 w-full" />
        ) : items.length === 0 ? (
          <p className="text-sm text-muted-foreground">No chat by that name.</p>
        ) : (
          <ul className="max-h-80 space-y-1 overflow-y-auto" aria-label="Your chats">
            {items.map((chat) => (
              <li key={chat.id}>
                <button
                  type="button"
                  disabled={forward.isPending}
                  onClick={() => void send(chat.id, chat.title)}
                  aria-label={`Forward to ${chat.title}`}
                  className="flex w-full items-center gap-3 rounded-md px-2 py-1.5 text-left hover:bg-accent focus-visible:outline-2 focus-visible:outline-ring disabled:opacity-60"
                >
                  <Avatar name={chat.title} image={chat.image} className="size-8" />
                  <span className="min-w-0 flex-1 truncate text-sm font-medium">{chat.title}</span>
                  <Forward aria-hidden="true" className="size-4 text-muted-foreground" />
                </button>
              </li>
            ))}
          </ul>
        )}
        <LoadMoreButton query={chats} label="More chats" />
      </DialogContent>
    </Dialog>
  );
}
