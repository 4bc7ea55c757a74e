import "server-only";

import { and, desc, eq, isNotNull, like, not, or } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { messageAttachments, messages, user } from "@/db/schema";
import type { Tx } from "@/db/types";
import type { ChatFile, ListChatFilesInput } from "@/contracts/chat-files";
import { env } from "@/server/env";
import { getStorage } from "@/server/storage";
import { signAttachmentUrls } from "./attachments";
import { loadChatAccess } from "./chat-access";
import { afterTimeCursor, cursorTime, encodeTimeCursor } from "./time-cursor";

const isMedia = () =>
  or(like(messageAttachments.mimeType, "image/%"), like(messageAttachments.mimeType, "video/%"));

/**
 * The files shared in a chat, newest first, a page at a time: its pictures and videos, or
 * everything else. Only sent files of live messages (RLS shows no other), each with a signed
 * URL and the message to show it in.
 */
export async function listChatFiles(
  tx: Tx,
  params: { userId: string } & ListChatFilesInput,
): Promise<{ items: ChatFile[]; nextCursor: string | null }> {
  const chat = await loadChatAccess(tx, params);
  const sender = alias(user, "sender");
  const rows = await tx
    .select({
      id: messageAttachments.id,
      fileName: messageAttachments.fileName,
      fileSize: messageAttachments.fileSize,
      mimeType: messageAttachments.mimeType,
      width: messageAttachments.width,
      height: messageAttachments.height,
      storagePath: messageAttachments.storagePath,
      thumbnailPath: messageAttachments.thumbnailPath,
      createdAt: messageAttachments.createdAt,
      cursorAt: cursorTime(messageAttachments.createdAt),
      messageId: messages.id,
      seq: messages.seq,
      senderId: sender.id,
      senderName: sender.name,
      senderImage: sender.image,
    })
    .from(messageAttachments)
    .innerJoin(messages, eq(messages.id, messageAttachments.messageId))
    .leftJoin(sender, eq(sender.id, messages.senderId))
    .where(
      and(
        eq(messageAttachments.chatId, chat.id),
        isNotNull(messageAttachments.messageId),
        params.kind === "media" ? isMedia() : not(isMedia()!),
        afterTimeCursor(
          { at: messageAttachments.createdAt, id: messageAttachments.id },
          params.cursor,
        ),
      ),
    )
    .orderBy(desc(messageAttachments.createdAt), desc(messageAttachments.id))
    .limit(params.limit + 1);
  const page = rows.slice(0, params.limit);
  const urls = await signAttachmentUrls(getStorage(), page, env.ATTACHMENT_URL_TTL_SECONDS);
  const last = page.at(-1);
  return {
    items: page.map((r) => ({
      id: r.id,
      fileName: r.fileName,
      fileSize: r.fileSize,
      mimeType: r.mimeType,
      width: r.width,
      height: r.height,
      url: urls.get(r.id)?.url ?? "",
      thumbnailUrl: urls.get(r.id)?.thumbnailUrl ?? null,
      messageId: r.messageId,
      seq: r.seq,
      sender: r.senderId ? { id: r.senderId, name: r.senderName!, image: r.senderImage } : null,
      createdAt: r.createdAt,
    })),
    nextCursor:
      rows.length > params.limit && last ? encodeTimeCursor(last.cursorAt, last.id) : null,
  };
}
