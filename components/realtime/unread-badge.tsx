"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useOnReconnect, useUserChannel } from "@/lib/realtime/hooks";
import { useTRPC } from "@/lib/trpc/react";

/**
 * Unread messages over all chats. The user topic says when the count may have moved; the
 * number itself always comes from `chats.unreadTotal`, where RLS and mute settings apply.
 */
export function UnreadBadge() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { data } = useQuery(trpc.chats.unreadTotal.queryOptions());
  const refresh = () => {
    void queryClient.invalidateQueries({ queryKey: trpc.chats.unreadTotal.queryKey() });
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

  if (!data) return null;
  const { total } = data;
  const label = `${total} unread ${total === 1 ? "message" : "messages"}`;
  return (
    <span
      data-testid="unread-total"
      data-count={total}
      hidden={total === 0}
      title={label}
      aria-label={label}
      className="inline-flex h-5 min-w-5 items-center justify-center rounded-full bg-primary px-1.5 text-xs font-semibold text-primary-foreground tabular-nums"
    >
      {total > 99 ? "99+" : total}
    </span>
  );
}
