import type { ReactNode } from "react";
import { ChatList } from "@/components/chat/chat-list";
import { ChatPanes } from "@/components/chat/chat-panes";
import { NotificationPrompt } from "@/components/chat/notification-prompt";
import { requireSession } from "@/server/rsc/session";
import { HydrateClient, prefetch, trpc } from "@/server/rsc/trpc";

export default async function ChatLayout({ children }: { children: ReactNode }) {
  const session = await requireSession("/chat");
  prefetch(
    trpc.chats.list.infiniteQueryOptions(
      { limit: 30 },
      { getNextPageParam: (page) => page.nextCursor ?? undefined },
    ),
  );
  return (
    <HydrateClient>
      <ChatPanes
        list={
          <>
            <ChatList myId={session.user.id} />
            {/* Below the list: appearing after load, it never moves a chat from under a click. */}
            <NotificationPrompt />
          </>
        }
      >
        {children}
      </ChatPanes>
    </HydrateClient>
  );
}
