"use client";

import { ArrowLeft, Info, Users } from "lucide-react";
import Link from "next/link";
import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef } from "react";
import { CallButtons } from "@/components/calls/call-buttons";
import { Avatar } from "@/components/ui/avatar";
import { Button } from "@/components/ui/button";
import { presenceLabel, presenceOf, usePresence, type Presence } from "@/lib/realtime/hooks";
import { useTRPC } from "@/lib/trpc/react";
import type { ChatDetail } from "@/contracts/chats";
import { StatusLine } from "@/components/people/status-line";
import { lastSeenText } from "@/components/people/presence-text";
import { useFormatters } from "@/lib/format";
import { toggleIdOf, type InfoPanelState } from "./info-panel-frame";

/**
 * When the other person of a direct chat goes offline, the chat is read again a moment later,
 * for the time they were last seen, which the gateway records as they leave.
 */
function useRefreshOnLeaving(chatId: string, presence: Presence) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const previous = useRef(presence);
  useEffect(() => {
    const wasOnline = previous.current === "online";
    previous.current = presence;
    if (!wasOnline || presence !== "offline") return;
    const timer = setTimeout(
      () => void queryClient.invalidateQueries({ queryKey: trpc.chats.get.queryKey({ chatId }) }),
      LAST_SEEN_SETTLE_MS,
    );
    return () => clearTimeout(timer);
  }, [presence, chatId, queryClient, trpc]);
}

/** How long after someone leaves their last-seen time is read: the gateway writes it then. */
const LAST_SEEN_SETTLE_MS = 1_000;

/** Title, picture and who is around; the back button shows where the list is hidden. */
export function ConversationHeader({
  chat,
  myId,
  info,
}: {
  chat: ChatDetail;
  myId: string;
  info: Pick<InfoPanelState, "id" | "open" | "setOpen">;
}) {
  const online = usePresence();
  const format = useFormatters();
  const others = chat.members.filter((m) => m.userId !== myId);
  const onlineOthers = others.filter((m) => m.userId in online.byId);
  const direct = chat.type === "direct" ? others[0] : undefined;
  const directPresence = direct ? presenceOf(online, direct.userId) : null;
  useRefreshOnLeaving(chat.id, directPresence);
  const subtitle =
    chat.type === "direct"
      ? direct
        ? directPresence === "offline" && direct.lastSeenAt
          ? lastSeenText(format, direct.lastSeenAt)
          : presenceLabel(directPresence)
        : null
      : `${chat.members.length} members${onlineOthers.length > 0 ? ` · ${onlineOthers.length} online` : ""}`;
  return (
    <header className="flex items-center gap-3 border-b border-border px-3 py-2.5">
      <Button asChild variant="ghost" size="icon" className="md:hidden">
        <Link href="/chat" aria-label="Back to chats">
          <ArrowLeft aria-hidden="true" />
        </Link>
      </Button>
      <Avatar
        name={chat.title}
        image={direct ? (direct.image ?? null) : chat.image}
        className="size-9"
      />
      <div className="min-w-0 flex-1">
        <h1 className="truncate font-semibold">{chat.title}</h1>
        <p
          // A line's height while presence is not known yet, so nothing moves when it is.
          className="flex min-h-4 items-center gap-1 text-xs text-muted-foreground"
          data-testid="chat-subtitle"
        >
          {chat.type === "group" ? <Users aria-hidden="true" className="size-3" /> : null}
          {subtitle}
          {direct?.status ? (
            <>
              <span aria-hidden="true">·</span>
              <StatusLine status={direct.status} className="min-w-0" />
            </>
          ) : null}
        </p>
      </div>
      <CallButtons chat={chat} />
      <Button
        id={toggleIdOf(info)}
        variant={info.open ? "secondary" : "ghost"}
        size="icon"
        aria-label="Conversation info"
        aria-expanded={info.open}
        // The panel exists only while open; point at it only then.
        aria-controls={info.open ? info.id : undefined}
        onClick={() => info.setOpen(!info.open)}
      >
        <Info aria-hidden="true" />
      </Button>
    </header>
  );
}
