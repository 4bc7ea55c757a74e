"use client";

import { MessageSquareOff } from "lucide-react";
import Link from "next/link";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";

/** A chat that does not exist, or that this user is not (or no longer) a member of. */
export default function ChatError({ reset }: { error: Error; reset: () => void }) {
  return (
    <div className="flex h-full items-center justify-center p-6">
      <EmptyState
        icon={<MessageSquareOff aria-hidden="true" />}
        title="This chat is not available"
        description="It may have been deleted, or you are no longer a member."
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
