import { MessageSquare } from "lucide-react";
import type { Metadata } from "next";
import { PaneNotice } from "@/components/chat/pane-notice";

export const metadata: Metadata = { title: "Chat" };

export default function ChatIndexPage() {
  return (
    <PaneNotice
      icon={<MessageSquare aria-hidden="true" />}
      title="Pick a conversation"
      description="Choose a chat on the left, or start a new one."
    />
  );
}
