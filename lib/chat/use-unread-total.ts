"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useOnReconnect, useUserChannel } from "@/lib/realtime/hooks";
import { useTRPC } from "@/lib/trpc/react";

/**
 * Unread messages over all chats, or undefined until first loaded. The user topic says when
 * the count may have moved; the number itself always comes from `chats.unreadTotal`, where
 * RLS and mute settings apply. Several components show it (nav badge, page title): they
 * share one query and one channel, and a refresh joins a request already on its way.
 */
export function useUnreadTotal(): number | undefined {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { data } = useQuery(trpc.chats.unreadTotal.queryOptions());
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
  // Events sent while the connection was down are gone: count again when it is back.
  useOnReconnect(refresh);
  return data?.total;
}
