import { MessageSquareOff } from "lucide-react";
import Link from "next/link";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";

/** A chat that does not exist, or that this user may not see: the two look the same. */
export default function ChatNotFound() {
  return (
    <div className="flex h-full items-center justify-center p-6">
      <EmptyState
        icon={<MessageSquareOff aria-hidden="true" />}
        title="This chat is not available"
        description="It may have been deleted, or you are no longer a member."
        className="border-none"
        action={
          <Button asChild>
            <Link href="/chat">Back to chats</Link>
          </Button>
        }
      />
    </div>
  );
}
