import { MessageSquareOff } from "lucide-react";
import Link from "next/link";
import { PaneNotice } from "@/components/chat/pane-notice";
import { Button } from "@/components/ui/button";

/** A chat that does not exist, or that this user may not see: the two look the same. */
export default function ChatNotFound() {
  return (
    <PaneNotice
      icon={<MessageSquareOff aria-hidden="true" />}
      title="This chat is not available"
      description="It may have been deleted, or you are no longer a member."
      action={
        <Button asChild>
          <Link href="/chat">Back to chats</Link>
        </Button>
      }
    />
  );
}
