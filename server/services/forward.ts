import "server-only";

import { asc, eq, sql } from "drizzle-orm";
import { messageAttachments } from "@/db/schema";
import { queryRows } from "@/db/rows";
import type { Tx } from "@/db/types";
import { messageIdFor } from "@/contracts/message-ids";
import type { ForwardMessageInput, MessageView } from "@/contracts/messages";
import { AppError } from "@/server/errors";
import { logger } from "@/server/logger";
import { getStorage } from "@/server/storage";
import type { StorageDriver } from "@/server/storage/driver";
import { attachmentPath, thumbnailPath } from "@/server/storage/paths";
import { createAttachment } from "./attachments";
import { loadChatAccess } from "./chat-access";
import { getMessage, sendMessage } from "./messages";
import { ensureRoomFor } from "./storage-usage";

/** Copies one stored object to a new path; the original must still be there. */
async function copyObject(
  storage: StorageDriver,
  from: string,
  to: string,
  contentType: string,
): Promise<void> {
  const body = await storage.get(from);
  if (!body) throw new AppError("CONFLICT", "A file of this message is no longer stored");
  await storage.put(to, body, { contentType });
}

/** The extension of a stored object's path ("…_a1b2.pdf" → "pdf"). */
const extensionOf = (storagePath: string) => /\.([a-z0-9]+)$/.exec(storagePath)?.[1] ?? "bin";

/**
 * Forwards a message to another of the caller's chats: a new message there, marked as
 * forwarded, with the same text and copies of its files, which count towards the caller's
 * space. A retry with the same key returns the message already forwarded. NOT_FOUND for a
 * message or a chat out of the caller's sight.
 */
export async function forwardMessage(
  tx: Tx,
  params: { userId: string } & ForwardMessageInput,
): Promise<MessageView> {
  const { userId, chatId, clientKey } = params;
  const source = await getMessage(tx, { userId, messageId: params.messageId });
  if (source.deleted) throw new AppError("BAD_REQUEST", "A deleted message cannot be forwarded");
  if (source.type === "system")
    throw new AppError("BAD_REQUEST", "A chat event cannot be forwarded");
  await loadChatAccess(tx, { userId, chatId });
  const content = source.content ?? "";

  if (clientKey) {
    const [stored] = await queryRows<{ id: string }>(
      tx,
      sql`select id from public.messages where id = ${messageIdFor(userId, clientKey)}::uuid`,
    );
    // Sent already: the send answers for the stored message (or refuses another use of the key).
    if (stored) return sendMessage(tx, { userId, chatId, clientKey, content, forwarded: true });
  }

  const files = await tx
    .select()
    .from(messageAttachments)
    .where(eq(messageAttachments.messageId, source.id))
    .orderBy(asc(messageAttachments.createdAt));
  await ensureRoomFor(tx, { userId, bytes: files.reduce((sum, f) => sum + f.fileSize, 0) });

  const storage = getStorage();
  const copied: string[] = [];
  try {
    const attachmentIds: string[] = [];
    for (const file of files) {
      const path = attachmentPath(chatId, userId, extensionOf(file.storagePath));
      await copyObject(storage, file.storagePath, path, file.mimeType);
      copied.push(path);
      let thumb: string | null = null;
      if (file.thumbnailPath) {
        thumb = thumbnailPath(path);
        await copyObject(storage, file.thumbnailPath, thumb, "image/webp");
        copied.push(thumb);
      }
      const row = await createAttachment(tx, {
        chatId,
        userId,
        fileName: file.fileName,
        storagePath: path,
        fileSize: file.fileSize,
        mimeType: file.mimeType,
        width: file.width,
        height: file.height,
        thumbnailPath: thumb,
      });
      attachmentIds.push(row.id);
    }
    return await sendMessage(tx, {
      userId,
      chatId,
      clientKey,
      content,
      attachmentIds,
      forwarded: true,
    });
  } catch (error) {
    await storage
      .remove(copied)
      .catch((e: unknown) =>
        logger.error({ err: e, paths: copied }, "could not remove the copies of a failed forward"),
      );
    throw error;
  }
}
