"use client";

import { Avatar } from "@/components/ui/avatar";
import { useFormatters } from "@/lib/format";
import { cn } from "@/lib/utils";

/**
 * One message as the lists across chats show it (saved messages, mentions): who wrote it and
 * where, when, and its first lines. Unread ones are bold and say so to screen readers.
 */
export function MarkedMessageSummary({
  item,
  note,
  unread = false,
}: {
  item: {
    sender: { name: string; image: string | null } | null;
    chatTitle: string;
    createdAt: Date;
    preview: string;
  };
  /** Said after the chat's title, e.g. "in a thread". */
  note?: string;
  unread?: boolean;
}) {
  const format = useFormatters();
  const sender = item.sender?.name ?? "Deleted user";
  return (
    <>
      <Avatar name={sender} image={item.sender?.image} />
      <span className="min-w-0 flex-1">
        <span className="flex items-baseline justify-between gap-2 text-xs text-muted-foreground">
          <span className="truncate">
            <span className="font-medium text-foreground">{sender}</span> in {item.chatTitle}
            {note ? ` · ${note}` : ""}
          </span>
          <time
            dateTime={item.createdAt.toISOString()}
            title={format.dateTime(item.createdAt)}
            className="shrink-0"
          >
            {format.date(item.createdAt)}
          </time>
        </span>
        <span className={cn("line-clamp-2 text-sm", unread && "font-semibold")}>
          {unread ? <span className="sr-only">Unread: </span> : null}
          {item.preview}
        </span>
      </span>
    </>
  );
}
