import "server-only";

import type { MailMessage } from "./message";
import { escapeHtml } from "./templates";

/** One chat's part of a digest. */
export interface DigestChat {
  chatId: string;
  title: string;
  senders: string[];
  count: number;
  mentioned: boolean;
  /** The first lines, with previews on; empty with them off. */
  lines: { sender: string; text: string }[];
}

/** How many chats and lines a digest shows: a summary, not a copy of the conversation. */
export const DIGEST_MAX_CHATS = 10;
export const DIGEST_LINES_PER_CHAT = 3;

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/**
 * The digest: per chat, how many unread messages from whom, and their first lines; a link to
 * each chat, the settings, and a one-click unsubscribe (List-Unsubscribe with
 * List-Unsubscribe-Post, RFC 8058) that turns the digests off without signing in.
 */
export function digestMail(params: {
  to: string;
  name: string;
  appUrl: string;
  unsubscribeUrl: string;
  chats: DigestChat[];
}): MailMessage {
  const total = params.chats.reduce((sum, chat) => sum + chat.count, 0);
  const shown = params.chats.slice(0, DIGEST_MAX_CHATS);
  const more = params.chats.length - shown.length;
  const subject = `${plural(total, "unread message", "unread messages")} in ${plural(params.chats.length, "chat", "chats")} on Parley`;
  const greeting = params.name.trim() ? `Hi ${params.name.trim()},` : "Hi,";
  const chatUrl = (chat: DigestChat) => `${params.appUrl}/chat/${chat.chatId}`;
  const settingsUrl = `${params.appUrl}/settings/preferences`;
  const heading = (chat: DigestChat) =>
    `${chat.title}: ${plural(chat.count, "message", "messages")} from ${chat.senders.join(", ")}${chat.mentioned ? " (you were mentioned)" : ""}`;

  const text = [
    greeting,
    "",
    "While you were away:",
    "",
    ...shown.flatMap((chat) => [
      heading(chat),
      ...chat.lines.map((line) => `  ${line.sender}: ${line.text}`),
      `  Open: ${chatUrl(chat)}`,
      "",
    ]),
    ...(more > 0 ? [`…and ${plural(more, "more chat", "more chats")}.`, ""] : []),
    `You get this because "Email me about missed messages" is on: ${settingsUrl}`,
    `Stop these emails: ${params.unsubscribeUrl}`,
    "",
    "— Parley",
  ].join("\n");
  const html = [
    `<p>${escapeHtml(greeting)}</p>`,
    "<p>While you were away:</p>",
    ...shown.map(
      (chat) =>
        `<p><a href="${escapeHtml(chatUrl(chat))}"><strong>${escapeHtml(heading(chat))}</strong></a>${chat.lines
          .map((line) => `<br>${escapeHtml(line.sender)}: ${escapeHtml(line.text)}`)
          .join("")}</p>`,
    ),
    ...(more > 0 ? [`<p>…and ${escapeHtml(plural(more, "more chat", "more chats"))}.</p>`] : []),
    `<p>You get this because “Email me about missed messages” is on in your <a href="${escapeHtml(settingsUrl)}">settings</a>. <a href="${escapeHtml(params.unsubscribeUrl)}">Stop these emails</a>.</p>`,
    "<p>— Parley</p>",
  ].join("\n");
  return {
    to: params.to,
    subject,
    text,
    html,
    headers: {
      "List-Unsubscribe": `<${params.unsubscribeUrl}>`,
      "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    },
  };
}
