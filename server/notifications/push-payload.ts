import "server-only";

import type { ChatType, MessageType } from "@/contracts/enums";
import { notificationTag, notificationText } from "@/lib/chat/desktop-notifications";

/** What the service worker (public/push-sw.js) shows for one push. */
export interface PushPayload {
  title: string;
  body: string;
  /** One chat's notifications share a tag: a newer one replaces the one before. */
  tag: string;
  /** Where a click opens the app. */
  url: string;
}

/**
 * The notification for one message: who wrote it and where always; what it says only with
 * the recipient's previews on (off, the push carries no word of the message).
 */
export function pushPayload(params: {
  chat: { id: string; type: ChatType; name: string | null };
  senderName: string | null;
  message: { seq: number; type: MessageType; content: string; threadRootId: string | null };
  previews: boolean;
}): PushPayload {
  const { chat, message } = params;
  const text = notificationText({
    chat: { type: chat.type, title: chat.name ?? "a chat" },
    senderName: params.senderName,
    message: { type: message.type, content: message.content },
  });
  const body = params.previews
    ? text.body
    : message.threadRootId
      ? "New reply in a thread"
      : "New message";
  return {
    title: text.title,
    body,
    tag: notificationTag(chat.id),
    url: `/chat/${chat.id}?message=${message.seq}`,
  };
}
