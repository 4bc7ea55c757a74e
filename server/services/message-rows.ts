import "server-only";

import type { ChatAccess } from "./chat-access";
import type { MessageType } from "@/contracts/enums";
import type { MessageView } from "@/contracts/messages";

/**
 * The rows a page of messages is read into, before they become views: what the page's
 * statement (message-page.ts), its JSON form (message-json.ts) and the views
 * (message-views.ts) share.
 */

/** A message with its sender and the message it quotes: what a view is built from. */
export interface MessageRow {
  message: {
    id: string;
    chatId: string;
    senderId: string | null;
    seq: number;
    type: MessageType;
    content: string;
    metadata: unknown;
    threadRootId: string | null;
    forwarded: boolean;
    editedAt: Date | null;
    deletedAt: Date | null;
    deletedBy: string | null;
    createdAt: Date;
  };
  sender: { id: string; name: string; image: string | null } | null;
  /** The people its text mentions whom the caller may see, to name them. */
  mentions: { id: string; name: string }[];
  reply: {
    id: string;
    seq: number;
    type: MessageType;
    content: string;
    metadata: unknown;
    deletedAt: Date | null;
  } | null;
  replySenderName: string | null;
}

/** How many people who reacted are named in a reaction's summary (the tooltip). */
export const REACTION_NAMES_SHOWN = 10;

/** A reaction of one message, summarised per emoji. */
export type PageReaction = MessageView["reactions"][number];
/** An attachment of one message, with what its signed URLs are made from. */
export interface PageAttachment {
  id: string;
  fileName: string;
  fileSize: number;
  mimeType: string;
  width: number | null;
  height: number | null;
  storagePath: string;
  thumbnailPath: string | null;
}
/** Another member's pointers, the read one as the caller may see it. */
export interface MemberPointers {
  lastReadSeq: number;
  lastDeliveredSeq: number;
}

export interface PageMessage extends MessageRow {
  reactions: PageReaction[];
  attachments: PageAttachment[];
  pinned: MessageView["pinned"];
  saved: boolean;
  linkPreview: MessageView["linkPreview"];
  thread: MessageView["thread"];
}

export interface MessagePage {
  chat: ChatAccess;
  /** The first and last seq of the page's scope (the timeline or one thread), if any. */
  scopeSeqs: { first: number; last: number } | null;
  /** The other members' pointers, the read one as the caller may see it. */
  others: MemberPointers[];
  /** Oldest first, whatever the bound. */
  messages: PageMessage[];
}
