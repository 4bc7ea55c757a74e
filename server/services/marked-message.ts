import "server-only";

import { sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { messages, user } from "@/db/schema";
import type { MessageType } from "@/contracts/enums";
import { messagePreview } from "./message-preview";

/** Who wrote a pinned or saved message: `user` under a name of its own, to join beside others. */
export const markedSender = alias(user, "sender");

/** The columns a pinned or saved message is shown from. */
export const markedMessageColumns = {
  messageId: messages.id,
  chatId: messages.chatId,
  seq: messages.seq,
  type: messages.type,
  // Mentions named as the reader may see them: the preview is plain text.
  content: sql<string>`public.mentions_as_names(${messages.content})`.as("content"),
  metadata: messages.metadata,
  deletedAt: messages.deletedAt,
  createdAt: messages.createdAt,
  senderId: markedSender.id,
  senderName: markedSender.name,
  senderImage: markedSender.image,
};

interface MarkedMessageRow {
  messageId: string;
  chatId: string;
  seq: number;
  type: MessageType;
  content: string;
  metadata: unknown;
  deletedAt: Date | null;
  createdAt: Date;
  senderId: string | null;
  senderName: string | null;
  senderImage: string | null;
}

/** A pinned or saved message as its list shows it: one line of it, who wrote it, and when. */
export function markedMessage(row: MarkedMessageRow) {
  return {
    messageId: row.messageId,
    chatId: row.chatId,
    seq: row.seq,
    type: row.type,
    sender: row.senderId
      ? { id: row.senderId, name: row.senderName!, image: row.senderImage }
      : null,
    preview: messagePreview(row),
    createdAt: row.createdAt,
  };
}
