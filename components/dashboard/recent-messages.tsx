"use client";

import { MessagesSquare } from "lucide-react";
import Link from "next/link";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import type { DashboardSummary } from "@/contracts/dashboard";
import { RelativeTime } from "@/components/ui/relative-time";

export function RecentMessages({ messages }: { messages: DashboardSummary["recentMessages"] }) {
  if (messages.length === 0) {
    return (
      <EmptyState
        icon={<MessagesSquare aria-hidden="true" />}
        title="No messages yet"
        description="Chats with other people in Parley show up here."
        action={
          <Button asChild>
            <Link href="/chat">Start a chat</Link>
          </Button>
        }
      />
    );
  }
  return (
    <ul className="-mx-2 divide-y divide-border" data-testid="recent-messages">
      {messages.map((m) => (
        <li key={m.id}>
          <Link
            href={`/chat/${m.chatId}`}
            className="block rounded-md px-2 py-2.5 hover:bg-accent focus-visible:outline-2 focus-visible:outline-ring"
          >
            <div className="flex items-baseline justify-between gap-3 text-sm">
              <p className="min-w-0 truncate">
                <span className="font-medium">{m.senderName}</span>
                <span className="text-muted-foreground"> in {m.chatTitle}</span>
              </p>
              <RelativeTime
                value={m.createdAt}
                className="shrink-0 text-xs text-muted-foreground"
              />
            </div>
            <p className="truncate text-sm text-muted-foreground">{m.preview}</p>
          </Link>
        </li>
      ))}
    </ul>
  );
}
