import { TRPCError } from "@trpc/server";
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { z } from "zod";
import { ConversationView } from "@/components/chat/conversation-view";
import { requireSession } from "@/server/rsc/session";
import { getCaller, getQueryClient, HydrateClient, prefetch, trpc } from "@/server/rsc/trpc";
import { PAGE_SIZE } from "@/components/chat/page-size";

export const metadata: Metadata = { title: "Chat" };

export default async function ChatPage({ params }: { params: Promise<{ chatId: string }> }) {
  const { chatId } = await params;
  // Not a chat id at all: the same 404 as a chat this user may not see.
  if (!z.uuid().safeParse(chatId).success) notFound();
  const session = await requireSession(`/chat/${chatId}`);
  // Asked before anything streams, and outside the query cache: a chat this user may not see
  // is a 404 here rather than a failed query streamed to the client. The messages follow once
  // the chat is known to be visible, so no failing request is ever started.
  const chat = await (await getCaller()).chats.get({ chatId }).catch((error: unknown) => {
    if (error instanceof TRPCError && error.code === "NOT_FOUND") notFound();
    throw error;
  });
  getQueryClient().setQueryData(trpc.chats.get.queryKey({ chatId }), chat);
  prefetch(trpc.messages.list.queryOptions({ chatId, limit: PAGE_SIZE }));
  return (
    <HydrateClient>
      <ConversationView key={chatId} chatId={chatId} myId={session.user.id} />
    </HydrateClient>
  );
}
