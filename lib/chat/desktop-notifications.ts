import type { ChatType, MessageType, NotificationLevel } from "@/contracts/enums";
import { mentionNames, mentionsAsNames } from "@/lib/markdown/mentions";
import { markdownToPlainText } from "@/lib/markdown/plain-text";
import { decide, mentionOf } from "@/lib/notifications/decide";

/** What decides whether one new message may raise a desktop notification. */
export interface NotifyCandidate {
  /** The user's `desktopNotifications` preference. */
  enabled: boolean;
  /** The user's default `notificationLevel` preference. */
  defaultLevel: NotificationLevel;
  chat: { type: ChatType; notificationLevel: NotificationLevel; mutedUntil: Date | null };
  message: { type: MessageType; content: string | null; deleted: boolean; senderId: string | null };
  me: { id: string };
  now: Date;
}

/**
 * Whether a new message deserves a desktop notification: the preference, then the rule the
 * server's pipeline applies too (lib/notifications/decide.ts). The page is open, so the user
 * is online (an `@here` reaches them) and has not read it (it arrived in the background).
 */
export function shouldNotify(candidate: NotifyCandidate): boolean {
  const { chat, message, me } = candidate;
  if (!candidate.enabled) return false;
  return decide(
    { type: message.type, deleted: message.deleted, senderId: message.senderId },
    {
      userId: me.id,
      chatType: chat.type,
      chatLevel: chat.notificationLevel,
      mutedUntil: chat.mutedUntil,
      defaultLevel: candidate.defaultLevel,
      mention: mentionOf(message.content ?? "", me.id),
      alreadyRead: false,
      online: true,
    },
    candidate.now,
  ).notify;
}

const BODY_LENGTH = 140;

const ATTACHMENT_BODIES: Partial<Record<MessageType, string>> = {
  image: "Photo",
  video: "Video",
  audio: "Audio",
  file: "File",
};

/** One chat's notifications share a tag, so a newer one replaces the one before. */
export const notificationTag = (chatId: string) => `parley-chat:${chatId}`;

/** The title and text of the notification for one message. */
export function notificationText(params: {
  chat: { type: ChatType; title: string };
  senderName: string | null;
  message: { type: MessageType; content: string | null; mentions?: { id: string; name: string }[] };
}): { title: string; body: string } {
  const { chat, senderName, message } = params;
  const sender = senderName ?? "Someone";
  const title = chat.type === "group" ? `${sender} in ${chat.title}` : sender;
  const text = markdownToPlainText(
    mentionsAsNames(message.content ?? "", mentionNames(message.mentions ?? [])),
  );
  const body = !text
    ? (ATTACHMENT_BODIES[message.type] ?? "Attachment")
    : text.length > BODY_LENGTH
      ? `${text.slice(0, BODY_LENGTH - 1)}…`
      : text;
  return { title, body };
}
