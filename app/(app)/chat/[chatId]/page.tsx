import { TRPCError } from "@trpc/server";
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { z } from "zod";
import { ConversationView } from "@/components/chat/conversation-view";
import { requireSession } from "@/lib/session";
import { getQueryClient, HydrateClient, prefetch, trpc } from "@/lib/trpc/server";
import { PAGE_SIZE } from "@/components/chat/page-size";

export const metadata: Metadata = { title: "Chat" };

export default async function ChatPage({ params }: { params: Promise<{ chatId: string }> }) {
  const { chatId } = await params;
  // Not a chat id at all: the same 404 as a chat this user may not see.
  if (!z.uuid().safeParse(chatId).success) notFound();
  const session = await requireSession(`/chat/${chatId}`);
  prefetch(trpc.messages.list.queryOptions({ chatId, limit: PAGE_SIZE }));
  // Awaited, not streamed: a chat this user may not see is a 404 here rather than an error
  // the client would only discover after hydration.
  try {
    await getQueryClient().fetchQuery(trpc.chats.get.queryOptions({ chatId }));
  } catch (error) {
    if (error instanceof TRPCError && error.code === "NOT_FOUND") notFound();
    throw error;
  }
  return (
    <HydrateClient>
      <ConversationView key={chatId} chatId={chatId} myId={session.user.id} />
    </HydrateClient>
  );
}
