"use client";

import { useUnreadTotal } from "@/lib/chat/use-unread-total";

/** The unread total beside "Chat" in the navigation; hidden at zero. */
export function UnreadBadge() {
  const total = useUnreadTotal();
  if (total === undefined) return null;
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
