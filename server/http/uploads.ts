import "server-only";

import { createReadStream } from "node:fs";
import fs from "node:fs/promises";
import path from "node:path";
import { Readable } from "node:stream";
import { z } from "zod";
import { withRls } from "@/db/rls";
import { getRequestSession } from "@/server/auth-session";
import { env } from "@/server/env";
import { AppError } from "@/server/errors";
import { spendBudget } from "@/server/limits/budgets";
import { logger } from "@/server/logger";
import { loadChatAccess } from "@/server/services/chat-access";
import { createAttachment } from "@/server/services/attachments";
import { ensureRoomFor } from "@/server/services/storage-usage";
import { getStorage } from "@/server/storage";
import {
  detectAllowedType,
  PROCESSABLE_IMAGE_TYPES,
  THUMBNAIL_TYPE,
} from "@/server/media/file-types";
import { processImage } from "@/server/media/images";
import { attachmentPath, sanitizeFileName, thumbnailPath } from "@/server/storage/paths";
import { sessionActor } from "@/server/session-actor";
import { errorResponse } from "./error-response";
import { MULTIPART_OVERHEAD, receiveFile } from "./multipart";

const chatIdSchema = z.uuid();

/**
 * `POST /api/chats/{chatId}/attachments`: a member's upload, checked before anything is kept.
 * The type comes from the bytes; images are re-encoded without metadata and get a thumbnail;
 * the stored name is the server's. Answers 201 with the attachment, unbound until a message
 * claims it.
 */
export async function uploadAttachment(request: Request, chatIdParam: string): Promise<Response> {
  const session = await getRequestSession(request.headers);
  if (!session) return errorResponse(new AppError("UNAUTHORIZED", "Sign in to upload files"));
  const userId = session.user.id;
  const parsedChatId = chatIdSchema.safeParse(chatIdParam);
  if (!parsedChatId.success) return errorResponse(new AppError("NOT_FOUND", "Chat not found"));
  const chatId = parsedChatId.data;
  const maxBytes = env.ATTACHMENT_MAX_BYTES;
  const tmpDir = path.join(env.dataDir, "tmp");
  const temporary: string[] = [];
  const stored: string[] = [];
  const storage = getStorage();

  try {
    await spendBudget("uploads", userId);
    const declaredLength = Number(request.headers.get("content-length") ?? "0");
    // Checked again, with the file's real size, when the upload is recorded.
    await withRls(sessionActor(session), async (tx) => {
      await loadChatAccess(tx, { userId, chatId });
      await ensureRoomFor(tx, { userId, bytes: Math.max(0, declaredLength - MULTIPART_OVERHEAD) });
    });
    if (declaredLength > maxBytes + MULTIPART_OVERHEAD) {
      throw new AppError(
        "PAYLOAD_TOO_LARGE",
        `Attachments are limited to ${Math.floor(maxBytes / 1024 / 1024)} MB`,
      );
    }
    const upload = await receiveFile(request, tmpDir, maxBytes);
    temporary.push(upload.file);
    const fileName = sanitizeFileName(upload.fileName);
    const type = await detectAllowedType(upload.head, upload.declaredType, fileName);
    if (!type) {
      throw new AppError(
        "UNSUPPORTED_MEDIA_TYPE",
        "This kind of file cannot be attached (images, PDF, Office documents, text, zip, audio and video can)",
      );
    }

    const objectPath = attachmentPath(chatId, userId, type.ext);
    let source = upload.file;
    let size = upload.size;
    let width: number | null = null;
    let height: number | null = null;
    let thumb: string | null = null;
    if (PROCESSABLE_IMAGE_TYPES.has(type.mime)) {
      const clean = `${upload.file}.clean`;
      temporary.push(clean);
      const image = await processImage(upload.file, clean, type.mime).catch((error: unknown) => {
        // Too large, or the queue is full: said as such. Anything else is a bad file.
        if (error instanceof AppError) throw error;
        throw new AppError("UNSUPPORTED_MEDIA_TYPE", "The image could not be read");
      });
      source = clean;
      size = (await fs.stat(clean)).size;
      width = image.width;
      height = image.height;
      thumb = thumbnailPath(objectPath);
      await storage.put(thumb, Readable.from(image.thumbnail), { contentType: THUMBNAIL_TYPE });
      stored.push(thumb);
    }
    await storage.put(objectPath, createReadStream(source), {
      contentType: type.mime,
    });
    stored.push(objectPath);

    const attachment = await withRls(sessionActor(session), (tx) =>
      createAttachment(tx, {
        chatId,
        userId,
        fileName,
        storagePath: objectPath,
        fileSize: size,
        mimeType: type.mime,
        width,
        height,
        thumbnailPath: thumb,
      }),
    );
    return Response.json(attachment, { status: 201 });
  } catch (error) {
    await storage
      .remove(stored)
      .catch((e: unknown) =>
        logger.error({ err: e, paths: stored }, "could not remove the files of a failed upload"),
      );
    if (error instanceof AppError) return errorResponse(error);
    logger.error({ err: error, chatId }, "attachment upload failed");
    return errorResponse(new AppError("INTERNAL_SERVER_ERROR", "The upload failed"));
  } finally {
    await Promise.all(temporary.map((f) => fs.rm(f, { force: true })));
  }
}
