"use client";

import { MessageSquareOff } from "lucide-react";
import Link from "next/link";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";

/** The chat failed while open: the connection dropped, or this user was removed meanwhile. */
export default function ChatError({ reset }: { error: Error; reset: () => void }) {
  return (
    <div className="flex h-full items-center justify-center p-6">
      <EmptyState
        icon={<MessageSquareOff aria-hidden="true" />}
        title="This chat could not be shown"
        description="The connection may have dropped, or the chat is no longer available to you."
        className="border-none"
        action={
          <div className="flex gap-2">
            <Button variant="outline" onClick={reset}>
              Try again
            </Button>
            <Button asChild>
              <Link href="/chat">Back to chats</Link>
            </Button>
          </div>
        }
      />
    </div>
  );
}
