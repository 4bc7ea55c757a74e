import type { ChatType, MessageType, NotificationLevel } from "@/contracts/enums";
import { markdownToPlainText } from "@/lib/markdown/plain-text";

/** What decides whether one new message may raise a desktop notification. */
export interface NotifyCandidate {
  /** The user's `desktopNotifications` preference. */
  enabled: boolean;
  /** The user's default `notificationLevel` preference. */
  defaultLevel: NotificationLevel;
  chat: { type: ChatType; notificationLevel: NotificationLevel; mutedUntil: Date | null };
  message: { type: MessageType; content: string | null; deleted: boolean; senderId: string | null };
  me: { id: string; name: string };
  now: Date;
}

/**
 * The level that applies to one chat. `chat_members.notificationLevel` is never empty and
 * starts at "all", so "all" there cannot tell a deliberate choice from no choice: it defers
 * to the user's default. "mentions" and "none" can only have been chosen for this chat, so
 * they win over the default.
 */
export function effectiveLevel(
  chatLevel: NotificationLevel,
  defaultLevel: NotificationLevel,
): NotificationLevel {
  return chatLevel === "all" ? defaultLevel : chatLevel;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * Whether `text` mentions the user as "@<their name>". Messages carry no structured
 * mentions, so this is a text match: case-insensitive, and the name must end there
 * ("@Ann" is not a mention of "Anna").
 */
export function mentionsName(text: string, name: string): boolean {
  const trimmed = name.trim();
  if (!trimmed) return false;
  const pattern = new RegExp(`@${escapeRegExp(trimmed)}(?![\\p{L}\\p{N}_])`, "iu");
  return pattern.test(text);
}

/**
 * Whether a new message deserves a desktop notification, judging by the user's preferences
 * and the chat's mute and level. "mentions" counts every message of a direct chat (it is
 * addressed to me by nature) and, in groups, messages containing "@<my name>".
 */
export function shouldNotify(candidate: NotifyCandidate): boolean {
  const { chat, message, me } = candidate;
  if (!candidate.enabled) return false;
  if (message.senderId === null || message.senderId === me.id) return false;
  if (message.type === "system" || message.deleted) return false;
  if (chat.mutedUntil !== null && chat.mutedUntil.getTime() > candidate.now.getTime()) {
    return false;
  }
  const level = effectiveLevel(chat.notificationLevel, candidate.defaultLevel);
  if (level === "none") return false;
  if (level === "all") return true;
  return chat.type === "direct" || mentionsName(message.content ?? "", me.name);
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
  message: { type: MessageType; content: string | null };
}): { title: string; body: string } {
  const { chat, senderName, message } = params;
  const sender = senderName ?? "Someone";
  const title = chat.type === "group" ? `${sender} in ${chat.title}` : sender;
  const text = markdownToPlainText(message.content ?? "");
  const body = !text
    ? (ATTACHMENT_BODIES[message.type] ?? "Attachment")
    : text.length > BODY_LENGTH
      ? `${text.slice(0, BODY_LENGTH - 1)}…`
      : text;
  return { title, body };
}
