"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useCallback } from "react";
import { useTRPC } from "@/lib/trpc/react";
import type { ChatDetail } from "@/contracts/chats";

/**
 * After a change to a chat: show the server's answer at once (when it sent the chat back),
 * then refetch the chat and my chat list, whose titles, roles and mute icons depend on it.
 */
export function useChatChanged(chatId: string) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return useCallback(
    async (detail?: ChatDetail) => {
      const key = trpc.chats.get.queryKey({ chatId });
      if (detail) queryClient.setQueryData(key, detail);
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: key }),
        queryClient.invalidateQueries({ queryKey: trpc.chats.list.infiniteQueryKey() }),
        queryClient.invalidateQueries({ queryKey: trpc.chats.unreadTotal.queryKey() }),
      ]);
    },
    [trpc, queryClient, chatId],
  );
}
