import { MessageSquare } from "lucide-react";
import type { Metadata } from "next";
import { EmptyState } from "@/components/ui/empty-state";

export const metadata: Metadata = { title: "Chat" };

export default function ChatIndexPage() {
  return (
    <div className="flex h-full items-center justify-center p-6">
      <EmptyState
        icon={<MessageSquare aria-hidden="true" />}
        title="Pick a conversation"
        description="Choose a chat on the left, or start a new one."
        className="border-none"
      />
    </div>
  );
}
