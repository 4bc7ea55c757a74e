import "server-only";

import { and, eq, isNotNull, sql } from "drizzle-orm";
import { messageAttachments } from "@/db/schema";
import type { Tx } from "@/db/types";
import { AppError } from "@/server/errors";
import { INLINE_IMAGE_TYPES, THUMBNAIL_TYPE } from "@/server/media/file-types";
import type { StorageDriver } from "@/server/storage/driver";
import { loadChatAccess } from "./chat-access";
import { ensureRoomFor } from "./storage-usage";

export interface NewAttachment {
  chatId: string;
  userId: string;
  fileName: string;
  storagePath: string;
  fileSize: number;
  mimeType: string;
  width: number | null;
  height: number | null;
  thumbnailPath: string | null;
}

/** Records an upload, unbound until `messages.send({ attachmentIds })` claims it. */
export async function createAttachment(tx: Tx, params: NewAttachment) {
  await loadChatAccess(tx, { userId: params.userId, chatId: params.chatId });
  await ensureRoomFor(tx, { userId: params.userId, bytes: params.fileSize });
  const [row] = await tx
    .insert(messageAttachments)
    .values({
      chatId: params.chatId,
      uploaderId: params.userId,
      fileName: params.fileName,
      storagePath: params.storagePath,
      fileSize: params.fileSize,
      mimeType: params.mimeType,
      width: params.width,
      height: params.height,
      thumbnailPath: params.thumbnailPath,
    })
    .returning({
      id: messageAttachments.id,
      fileName: messageAttachments.fileName,
      fileSize: messageAttachments.fileSize,
      mimeType: messageAttachments.mimeType,
      width: messageAttachments.width,
      height: messageAttachments.height,
    });
  if (!row) throw new AppError("INTERNAL_SERVER_ERROR", "The upload was not recorded");
  return row;
}

export interface AttachmentUrls {
  url: string;
  thumbnailUrl: string | null;
}

/**
 * Signed URLs for a page's attachments, minted together. Anything that is not a raster image
 * a browser shows safely is a download, named as it was uploaded.
 */
export async function signAttachmentUrls(
  storage: StorageDriver,
  attachments: {
    id: string;
    storagePath: string;
    thumbnailPath: string | null;
    mimeType: string;
    fileName: string;
  }[],
  expiresInSeconds: number,
): Promise<Map<string, AttachmentUrls>> {
  const signed = await Promise.all(
    attachments.map(async (a) => {
      const inline = INLINE_IMAGE_TYPES.has(a.mimeType);
      const [url, thumbnailUrl] = await Promise.all([
        storage.createSignedUrl(a.storagePath, expiresInSeconds, {
          contentType: a.mimeType,
          fileName: a.fileName,
          ...(inline ? {} : { download: a.fileName }),
        }),
        a.thumbnailPath
          ? storage.createSignedUrl(a.thumbnailPath, expiresInSeconds, {
              contentType: THUMBNAIL_TYPE,
              fileName: a.fileName,
            })
          : null,
      ]);
      return [a.id, { url, thumbnailUrl }] as const;
    }),
  );
  return new Map(signed);
}

/** A chat's files: count, bytes, and the breakdown by type (seed 000's attachment stats). */
export async function storageStats(tx: Tx, params: { userId: string; chatId: string }) {
  await loadChatAccess(tx, params);
  const byType = await tx
    .select({
      mimeType: messageAttachments.mimeType,
      count: sql<number>`count(*)::int`,
      bytes: sql<number>`coalesce(sum(${messageAttachments.fileSize}), 0)::float8`,
    })
    .from(messageAttachments)
    .where(
      and(eq(messageAttachments.chatId, params.chatId), isNotNull(messageAttachments.messageId)),
    )
    .groupBy(messageAttachments.mimeType)
    .orderBy(sql`sum(${messageAttachments.fileSize}) desc`);
  return {
    count: byType.reduce((n, t) => n + t.count, 0),
    totalBytes: byType.reduce((n, t) => n + t.bytes, 0),
    byType,
  };
}
