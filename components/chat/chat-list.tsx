"use client";

import { useQueryClient, useSuspenseInfiniteQuery } from "@tanstack/react-query";
import { AtSign, BellOff, MessageSquarePlus, MessagesSquare, Search } from "lucide-react";
import Link from "next/link";
import { useParams, useRouter } from "next/navigation";
import { useMemo, useState } from "react";
import { Avatar } from "@/components/ui/avatar";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { Input } from "@/components/ui/input";
import { LoadMoreButton } from "@/components/ui/load-more-button";
import { toast } from "@/components/ui/toaster";
import { useFormatters } from "@/lib/format";
import { useOnReconnect, usePresence, useUserChannel } from "@/lib/realtime/hooks";
import { useTRPC } from "@/lib/trpc/react";
import { cn } from "@/lib/utils";
import type { ChatSummary } from "@/contracts/chats";
import { NewChatDialog } from "./new-chat-dialog";
import { SavedDialog } from "./saved-dialog";
import { MentionsDialog } from "./mentions-dialog";
import { SearchDialog } from "./search-dialog";
import { useDraft } from "@/lib/chat/drafts";

export const CHAT_LIST_INPUT = { limit: 30 } as const;

/** My chats, most recent activity first, kept live by my user topic. */
const threadsText = (count: number) => `${count} ${count === 1 ? "thread" : "threads"}`;

export function ChatList({ myId }: { myId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  const params = useParams<{ chatId?: string }>();
  const openChatId = params.chatId ?? null;
  const [filter, setFilter] = useState("");
  const online = usePresence();

  const { data, hasNextPage, fetchNextPage, isFetchingNextPage } = useSuspenseInfiniteQuery(
    trpc.chats.list.infiniteQueryOptions(CHAT_LIST_INPUT, {
      getNextPageParam: (page) => page.nextCursor ?? undefined,
    }),
  );

  const refresh = () => {
    void queryClient.invalidateQueries({ queryKey: trpc.chats.list.infiniteQueryKey() });
  };
  useUserChannel({
    "chat.activity": refresh,
    "chat.read": refresh,
    "thread.changed": refresh,
    "chat.added": refresh,
    "chat.updated": ({ chatId, change }) => {
      refresh();
      if (change === "deleted" && chatId === openChatId) {
        toast.info("This chat was deleted.");
        router.replace("/chat");
      }
    },
    "chat.removed": ({ chatId }) => {
      refresh();
      if (chatId === openChatId) {
        toast.info("You are no longer a member of that chat.");
        router.replace("/chat");
      }
    },
  });
  useOnReconnect(refresh);

  const chats = useMemo(() => data.pages.flatMap((page) => page.items), [data]);
  const unreadMentions = chats.reduce((sum, chat) => sum + chat.unreadMentions, 0);
  const needle = filter.trim().toLocaleLowerCase();
  const shown = needle
    ? chats.filter((chat) => chat.title.toLocaleLowerCase().includes(needle))
    : chats;

  return (
    <>
      <div className="flex items-center gap-2 border-b border-border p-3">
        <div className="relative flex-1">
          <Search
            aria-hidden="true"
            className="pointer-events-none absolute top-1/2 left-3 size-4 -translate-y-1/2 text-muted-foreground"
          />
          <Input
            type="search"
            aria-label="Search chats"
            placeholder="Search chats"
            value={filter}
            onChange={(event) => setFilter(event.target.value)}
            className="h-9 pl-9"
          />
        </div>
        <SearchDialog myId={myId} />
        <MentionsDialog unread={unreadMentions} />
        <SavedDialog />
        <NewChatDialog
          myId={myId}
          trigger={
            <Button size="icon" variant="outline" aria-label="New chat">
              <MessageSquarePlus aria-hidden="true" />
            </Button>
          }
        />
      </div>
      <div className="min-h-0 flex-1 overflow-y-auto">
        {chats.length === 0 ? (
          <EmptyState
            className="m-4"
            title="No chats yet"
            description="Start a conversation with someone, or create a group."
            action={<NewChatDialog myId={myId} trigger={<Button size="sm">New chat</Button>} />}
          />
        ) : shown.length === 0 ? (
          <p className="p-4 text-sm text-muted-foreground">No chat matches “{filter}”.</p>
        ) : (
          <ul className="divide-y divide-border" data-testid="chat-list">
            {shown.map((chat) => (
              <li key={chat.id}>
                <ChatListItem
                  chat={chat}
                  active={chat.id === openChatId}
                  online={chat.directUserId !== null && chat.directUserId in online.byId}
                  myId={myId}
                />
              </li>
            ))}
          </ul>
        )}
        {hasNextPage ? (
          <div className="p-3">
            <LoadMoreButton
              query={{ hasNextPage, isFetchingNextPage, fetchNextPage }}
              label="Show older chats"
            />
          </div>
        ) : null}
      </div>
    </>
  );
}

function ChatListItem({
  chat,
  active,
  online,
  myId,
}: {
  chat: ChatSummary;
  active: boolean;
  online: boolean;
  myId: string;
}) {
  const format = useFormatters();
  const last = chat.lastMessage;
  const when = last?.createdAt ?? chat.activityAt;
  const sameDay = format.isToday(when);
  const preview = last
    ? `${last.senderId === myId ? "You: " : chat.type === "group" && last.senderName ? `${last.senderName}: ` : ""}${last.preview}`
    : "No messages yet";
  const unread = chat.unreadCount;
  // Not for the chat being written in: its box shows the draft already.
  const storedDraft = useDraft(chat.id);
  const draft = active ? "" : storedDraft;
  return (
    <Link
      href={`/chat/${chat.id}`}
      aria-current={active ? "page" : undefined}
      data-chat-id={chat.id}
      className={cn(
        "flex items-center gap-3 px-3 py-3 focus-visible:outline-2 focus-visible:-outline-offset-2 focus-visible:outline-ring",
        active ? "bg-primary-soft" : "hover:bg-accent",
      )}
    >
      <span className="sr-only">{chat.title}</span>
      <span className="relative shrink-0" aria-hidden="true">
        <Avatar name={chat.title} image={chat.image} className="size-10" />
        {online ? (
          <span className="absolute right-0 bottom-0 size-3 rounded-full border-2 border-card bg-online" />
        ) : null}
      </span>
      <span className="min-w-0 flex-1">
        <span className="flex items-baseline gap-2">
          <span aria-hidden="true" className="truncate font-medium">
            {chat.title}
          </span>
          {chat.muted ? (
            <BellOff aria-label="Muted" className="size-3.5 shrink-0 text-muted-foreground" />
          ) : null}
          {online ? <span className="sr-only">, online</span> : null}
          <time
            dateTime={new Date(when).toISOString()}
            className="ml-auto shrink-0 text-xs text-muted-foreground"
          >
            {sameDay ? format.time(when) : format.date(when)}
          </time>
        </span>
        <span className="mt-0.5 flex items-center gap-2">
          {draft ? (
            <span className="truncate text-sm text-muted-foreground" data-testid="chat-draft">
              <span className="font-medium text-destructive-text">Draft:</span> {draft}
            </span>
          ) : (
            <span
              className={cn(
                "truncate text-sm",
                unread > 0 ? "font-medium text-foreground" : "text-muted-foreground",
              )}
            >
              {preview}
            </span>
          )}
          {chat.unreadMentions > 0 ? (
            <span
              data-testid="chat-unread-mentions"
              title={`${chat.unreadMentions} unread ${chat.unreadMentions === 1 ? "mention" : "mentions"} of you`}
              className="ml-auto inline-flex size-5 shrink-0 items-center justify-center rounded-full bg-primary text-primary-foreground"
            >
              <AtSign aria-hidden="true" className="size-3.5" />
              <span className="sr-only">
                , {chat.unreadMentions} {chat.unreadMentions === 1 ? "mention" : "mentions"} of you
              </span>
            </span>
          ) : null}
          {unread > 0 ? (
            <span
              data-testid="chat-unread"
              data-count={unread}
              className={cn(
                chat.unreadMentions > 0 ? "" : "ml-auto",
                "inline-flex h-5 min-w-5 shrink-0 items-center justify-center rounded-full bg-primary px-1.5 text-xs font-semibold text-primary-foreground tabular-nums",
              )}
            >
              <span aria-hidden="true">{unread > 99 ? "99+" : unread}</span>
              <span className="sr-only">, {unread > 99 ? "more than 99" : unread} unread</span>
            </span>
          ) : null}
          {chat.unreadThreads > 0 ? (
            <span
              data-testid="chat-unread-threads"
              title={`New replies in ${threadsText(chat.unreadThreads)} you follow`}
              className={cn(
                "inline-flex shrink-0 items-center gap-0.5 text-xs font-semibold text-primary-text",
                unread > 0 || chat.unreadMentions > 0 ? "" : "ml-auto",
              )}
            >
              <MessagesSquare aria-hidden="true" className="size-3.5" />
              <span aria-hidden="true">{chat.unreadThreads}</span>
              <span className="sr-only">
                , new replies in {threadsText(chat.unreadThreads)} you follow
              </span>
            </span>
          ) : null}
        </span>
      </span>
    </Link>
  );
}
