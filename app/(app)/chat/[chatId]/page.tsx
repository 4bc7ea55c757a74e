import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { z } from "zod";
import { ConversationView } from "@/components/chat/conversation-view";
import { requireSession } from "@/lib/session";
import { HydrateClient, prefetch, trpc } from "@/lib/trpc/server";
import { PAGE_SIZE } from "@/components/chat/page-size";

export const metadata: Metadata = { title: "Chat" };

export default async function ChatPage({ params }: { params: Promise<{ chatId: string }> }) {
  const { chatId } = await params;
  // Not a chat id at all: the same 404 as a chat this user may not see.
  if (!z.uuid().safeParse(chatId).success) notFound();
  const session = await requireSession(`/chat/${chatId}`);
  prefetch(trpc.chats.get.queryOptions({ chatId }));
  prefetch(trpc.messages.list.queryOptions({ chatId, limit: PAGE_SIZE }));
  return (
    <HydrateClient>
      <ConversationView key={chatId} chatId={chatId} myId={session.user.id} />
    </HydrateClient>
  );
}
