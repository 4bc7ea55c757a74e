import type { ChatType, MentionKind, MessageType, NotificationLevel } from "@/contracts/enums";
import { mentionTargets } from "@/lib/markdown/mentions";

/**
 * Whether one new message should reach one member: the rule the page's desktop notifications
 * and the server's push and e-mail pipeline share, so they never disagree.
 */

/** The level that applies to one chat. `chat_members.notificationLevel` starts at "all", so
 * "all" there cannot tell a deliberate choice from no choice: it defers to the user's default.
 * "mentions" and "none" can only have been chosen for this chat, so they win. */
export function effectiveLevel(
  chatLevel: NotificationLevel,
  defaultLevel: NotificationLevel,
): NotificationLevel {
  return chatLevel === "all" ? defaultLevel : chatLevel;
}

export interface MessageFacts {
  type: MessageType;
  deleted: boolean;
  senderId: string | null;
}

export interface RecipientFacts {
  userId: string;
  chatType: ChatType;
  chatLevel: NotificationLevel;
  mutedUntil: Date | null;
  /** The user's default `notificationLevel` preference. */
  defaultLevel: NotificationLevel;
  /** How the message mentions them, if it does. */
  mention: MentionKind | null;
  /** They have read it already (their read pointer, or the thread's, is at or past it). */
  alreadyRead: boolean;
  /** They have Parley open somewhere right now. */
  online: boolean;
}

export type SkipReason = "own" | "system" | "deleted" | "muted" | "level" | "read";

export type Decision = { notify: true; mentioned: boolean } | { notify: false; reason: SkipReason };

/**
 * The decision for one member: not their own message, not an event line, not deleted, not
 * a muted chat, allowed by the level ("mentions" lets through direct messages and mentions of
 * them; `@here` only while they are online), not read already. Which channels carry it is
 * decided apart (./channels.ts).
 */
export function decide(message: MessageFacts, recipient: RecipientFacts, now: Date): Decision {
  if (message.senderId === null || message.senderId === recipient.userId) {
    return { notify: false, reason: "own" };
  }
  if (message.type === "system") return { notify: false, reason: "system" };
  if (message.deleted) return { notify: false, reason: "deleted" };
  if (recipient.mutedUntil !== null && recipient.mutedUntil.getTime() > now.getTime()) {
    return { notify: false, reason: "muted" };
  }
  const mentioned =
    recipient.mention === "user" ||
    recipient.mention === "channel" ||
    (recipient.mention === "here" && recipient.online);
  const level = effectiveLevel(recipient.chatLevel, recipient.defaultLevel);
  if (level === "none") return { notify: false, reason: "level" };
  if (level === "mentions" && !mentioned && recipient.chatType !== "direct") {
    return { notify: false, reason: "level" };
  }
  if (recipient.alreadyRead) return { notify: false, reason: "read" };
  return { notify: true, mentioned };
}

/** How a message's text mentions one user: by name, `@channel`, `@here`, or not at all. */
export function mentionOf(content: string, userId: string): MentionKind | null {
  const targets = mentionTargets(content);
  if (targets.includes(userId.toLowerCase())) return "user";
  if (targets.includes("channel")) return "channel";
  if (targets.includes("here")) return "here";
  return null;
}
