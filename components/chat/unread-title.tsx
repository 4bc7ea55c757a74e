"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect } from "react";
import { stripCount, titleWithCount } from "@/lib/chat/title-count";
import { useOnReconnect, useUserChannel } from "@/lib/realtime/hooks";
import { useTRPC } from "@/lib/trpc/react";

/**
 * Puts the unread total in front of every signed-in page's title ("(3) Chat · Parley"), so
 * a background tab shows it. The count is `chats.unreadTotal`, refetched when the user
 * topic says it may have moved; the user topic is one shared channel, however many
 * components listen to it.
 */
export function UnreadTitle() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { data } = useQuery(trpc.chats.unreadTotal.queryOptions());
  // The nav badge refetches the same query on the same events: join its request, if any.
  const refresh = () => {
    void queryClient.invalidateQueries(
      { queryKey: trpc.chats.unreadTotal.queryKey() },
      { cancelRefetch: false },
    );
  };
  useUserChannel({
    "chat.activity": refresh,
    "chat.read": refresh,
    "chat.added": refresh,
    "chat.removed": refresh,
    "chat.updated": refresh,
  });
  useOnReconnect(refresh);

  const total = data?.total ?? 0;
  useEffect(() => {
    // Each page sets its own title, on navigation too: put the count back whenever it does.
    const apply = () => {
      const wanted = titleWithCount(document.title, total);
      if (document.title !== wanted) document.title = wanted;
    };
    apply();
    const observer = new MutationObserver(apply);
    observer.observe(document.head, { childList: true, subtree: true, characterData: true });
    return () => {
      observer.disconnect();
      document.title = stripCount(document.title);
    };
  }, [total]);

  return null;
}
