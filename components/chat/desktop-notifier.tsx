"use client";

import { useRouter } from "next/navigation";
import { useRef } from "react";
import { notificationTag, notificationText, shouldNotify } from "@/lib/chat/desktop-notifications";
import { useRealtime } from "@/lib/realtime/provider";
import { useUserChannel } from "@/lib/realtime/hooks";
import type { UserEvents } from "@/lib/realtime/events";
import { useTRPCClient } from "@/lib/trpc/react";
import { messageHref } from "./use-message-link";

type Activity = UserEvents["chat.activity"];

function permitted(): boolean {
  return typeof Notification !== "undefined" && Notification.permission === "granted";
}

/** Hidden tab, minimised window, or another window in front. */
function inBackground(): boolean {
  return document.visibilityState === "hidden" || !document.hasFocus();
}

/**
 * A desktop notification for each new message from someone else while Parley is in the
 * background, on any signed-in page. The user topic only says that a message exists; its
 * text, the chat's mute and level and the user's preferences come through tRPC, under RLS.
 */
export function DesktopNotifier() {
  const { userId } = useRealtime();
  const trpcClient = useTRPCClient();
  const router = useRouter();
  // One message at a time, in the order they arrived: notifications follow the chat's order.
  const queue = useRef<Promise<void>>(Promise.resolve());

  const notify = async (activity: Activity) => {
    const { chatId, messageId, seq } = activity;
    const preferences = await trpcClient.preferences.get.query();
    if (!preferences.desktopNotifications) return;
    const [chat, message] = await Promise.all([
      trpcClient.chats.get.query({ chatId }),
      trpcClient.messages.get.query({ messageId }),
    ]);
    const me = chat.members.find((member) => member.userId === userId);
    if (!message || !me) return;
    const wanted = shouldNotify({
      enabled: preferences.desktopNotifications,
      defaultLevel: preferences.notificationLevel,
      chat,
      message: {
        type: message.type,
        content: message.content,
        deleted: message.deleted,
        senderId: message.sender?.id ?? null,
      },
      me: { id: userId },
      now: new Date(),
    });
    // Looked at again: the user may have come back while the details loaded.
    if (!wanted || !permitted() || !inBackground()) return;
    const { title, body } = notificationText({
      chat,
      senderName: message.sender?.name ?? null,
      message,
    });
    const notification = new Notification(title, {
      body,
      tag: notificationTag(chatId),
      icon: "/icon.svg",
    });
    notification.onclick = () => {
      window.focus();
      // A reply in a thread opens there; anything else opens the chat where it was left.
      router.push(message.threadRootId ? messageHref(chatId, seq) : `/chat/${chatId}`);
      notification.close();
    };
  };

  useUserChannel({
    "chat.activity": (activity) => {
      if (activity.kind !== "created" || activity.senderId === userId) return;
      if (!permitted() || !inBackground()) return;
      // A chat that is gone or a failed request just means no notification.
      queue.current = queue.current.then(() => notify(activity)).catch(() => undefined);
    },
  });

  return null;
}
