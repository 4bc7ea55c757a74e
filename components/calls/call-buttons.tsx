"use client";

import { useQuery } from "@tanstack/react-query";
import { Phone, PhoneIncoming, Video } from "lucide-react";
import { Button } from "@/components/ui/button";
import { CALL_KINDS } from "@/contracts/calls";
import type { ChatDetail } from "@/contracts/chats";
import { canInChat } from "@/contracts/permissions";
import { useTRPC } from "@/lib/trpc/react";
import { useCalls } from "./calls-context";

/** Start a call from a conversation, or join the one going on in it. */
export function CallButtons({ chat }: { chat: ChatDetail }) {
  const trpc = useTRPC();
  const calls = useCalls();
  const live = useQuery(trpc.calls.inChat.queryOptions({ chatId: chat.id }));
  const call = live.data ?? null;
  if (call) {
    if (calls.joined?.id === call.id) return null;
    return (
      <Button size="sm" onClick={() => void calls.accept(call.id)} disabled={calls.busy}>
        <PhoneIncoming aria-hidden="true" />
        Join call
      </Button>
    );
  }
  if (!canInChat(chat, "chat.initiate_call") || chat.members.length < 2) return null;
  return CALL_KINDS.map((kind) => {
    const label = kind === "video" ? "Start video call" : "Start audio call";
    const Icon = kind === "video" ? Video : Phone;
    return (
      <Button
        key={kind}
        variant="ghost"
        size="icon"
        aria-label={label}
        title={label}
        disabled={calls.busy || calls.joined !== null}
        onClick={() => void calls.start(chat.id, kind)}
      >
        <Icon aria-hidden="true" />
      </Button>
    );
  });
}
