"use client";

import { useSuspenseQuery } from "@tanstack/react-query";
import { presenceOf, usePresence } from "@/lib/realtime/hooks";
import { useTRPC } from "@/lib/trpc/react";
import { canInChat } from "@/contracts/permissions";
import { CallHistory } from "@/components/calls/call-history";
import { InfoPanelDetails } from "./info-panel-details";
import { InfoPanelFiles } from "./info-panel-files";
import { InfoPanelLeave } from "./info-panel-leave";
import { InfoPanelNotifications } from "./info-panel-notifications";
import { InfoPanelPins } from "./info-panel-pins";
import { InfoPanelThreads } from "./info-panel-threads";
import { InfoPanelStorage } from "./info-panel-storage";
import { MemberList } from "./member-list";

/**
 * Everything about one chat beside its messages: who is in it, what is pinned, its threads,
 * my notification settings, its files, and (in a group) leaving or deleting it. What shows follows my role; the
 * server checks every change again.
 */
export function InfoPanel({
  chatId,
  myId,
  onJumpTo,
  onOpenThread,
}: {
  chatId: string;
  myId: string;
  /** Shows one message in the conversation (a pinned one). */
  onJumpTo: (seq: number) => void;
  onOpenThread: (thread: { rootId: string; seq: number }) => void;
}) {
  const trpc = useTRPC();
  const online = usePresence();
  // Already loaded by the conversation; kept live by its member and chat events.
  const { data: chat } = useSuspenseQuery(trpc.chats.get.queryOptions({ chatId }));
  const isGroup = chat.type === "group";
  const other = isGroup ? undefined : chat.members.find((m) => m.userId !== myId);

  return (
    <div className="divide-y divide-border">
      <InfoPanelDetails
        chat={chat}
        canManage={canInChat(chat, "chat.manage_group")}
        person={
          other
            ? {
                image: other.image,
                presence: presenceOf(online, other.userId),
              }
            : null
        }
      />
      {isGroup ? <MemberList chat={chat} myId={myId} /> : null}
      <InfoPanelPins chatId={chat.id} onJumpTo={onJumpTo} />
      <InfoPanelThreads chatId={chat.id} onOpenThread={onOpenThread} />
      <CallHistory chatId={chat.id} />
      <InfoPanelNotifications chat={chat} />
      <InfoPanelFiles chatId={chat.id} onJumpTo={onJumpTo} />
      <InfoPanelStorage chatId={chat.id} />
      {isGroup ? <InfoPanelLeave chat={chat} /> : null}
    </div>
  );
}
