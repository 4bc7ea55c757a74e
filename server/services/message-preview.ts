import "server-only";

import type { MessageType } from "@/contracts/enums";
import { describeCallLine } from "@/lib/calls/call-text";
import { markdownToPlainText } from "@/lib/markdown/plain-text";

const PREVIEW_LENGTH = 140;

const SYSTEM_PREVIEWS: Record<string, string> = {
  chat_created: "Group created",
  member_added: "A member was added",
  member_removed: "A member was removed",
  member_left: "A member left",
  member_joined: "A member joined",
  role_changed: "A member's role changed",
  chat_renamed: "Group renamed",
  message_pinned: "Message pinned",
};

const ATTACHMENT_PREVIEWS: Partial<Record<MessageType, string>> = {
  image: "Photo",
  video: "Video",
  audio: "Audio",
  file: "File",
};

/** One line of text that stands for a message in a list or a reply quote. */
export function messagePreview(message: {
  type: MessageType;
  content: string;
  deletedAt: Date | null;
  metadata: unknown;
}): string {
  if (message.deletedAt) return "Message deleted";
  if (message.type === "system") {
    const meta = (message.metadata ?? {}) as { kind?: string; to?: string };
    if (meta.kind === "chat_renamed" && meta.to) return `Group renamed to ${meta.to}`;
    if (meta.kind === "call_started") return "Call started";
    const call = describeCallLine(meta, "");
    if (call) return call;
    return SYSTEM_PREVIEWS[meta.kind ?? ""] ?? "Update";
  }
  const text = markdownToPlainText(message.content);
  if (!text) return ATTACHMENT_PREVIEWS[message.type] ?? "Attachment";
  return text.length > PREVIEW_LENGTH ? `${text.slice(0, PREVIEW_LENGTH - 1)}…` : text;
}
