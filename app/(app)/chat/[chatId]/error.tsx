"use client";

import { MessageSquareOff } from "lucide-react";
import Link from "next/link";
import { PaneNotice } from "@/components/chat/pane-notice";
import { Button } from "@/components/ui/button";

/** The chat failed while open: the connection dropped, or this user was removed meanwhile. */
export default function ChatError({ reset }: { error: Error; reset: () => void }) {
  return (
    <PaneNotice
      icon={<MessageSquareOff aria-hidden="true" />}
      title="This chat could not be shown"
      description="The connection may have dropped, or the chat is no longer available to you."
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
  );
}
