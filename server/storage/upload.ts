import { randomBytes } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import fs from "node:fs/promises";
import path from "node:path";
import { Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ReadableStream as WebReadableStream } from "node:stream/web";
import busboy from "busboy";
import { z } from "zod";
import { withRls } from "@/db/rls";
import { errorResponse } from "@/server/api-v1/route";
import { getRequestSession } from "@/server/auth-session";
import { env } from "@/server/env";
import { AppError } from "@/server/errors";
import { logger } from "@/server/logger";
import { loadChatAccess } from "@/server/services/chat-access";
import { createAttachment } from "@/server/services/attachments";
import { getStorage } from ".";
import { detectAllowedType, PROCESSABLE_IMAGE_TYPES } from "./file-types";
import { processImage } from "./images";
import { attachmentPath, sanitizeFileName, thumbnailPath } from "./paths";

const HEAD_BYTES = 4100;
// Multipart framing around the file: headers, boundaries, a few small fields.
const MULTIPART_OVERHEAD = 64 * 1024;

export interface Received {
  file: string;
  size: number;
  head: Buffer;
  fileName: string;
  declaredType: string;
}

/**
 * Streams the `file` part of a multipart body to a temporary file, counting bytes as they
 * arrive: past `maxBytes` the rest of the body is discarded and the upload refused, so
 * nothing the size of the body is ever held in memory or kept on disk.
 */
export async function receiveFile(
  request: Request,
  tmpDir: string,
  maxBytes: number,
  what = "Attachments",
): Promise<Received> {
  const contentType = request.headers.get("content-type") ?? "";
  if (!/^multipart\/form-data\b/i.test(contentType) || !request.body) {
    throw new AppError(
      "UNSUPPORTED_MEDIA_TYPE",
      "Send the file as multipart/form-data, field `file`",
    );
  }
  await fs.mkdir(tmpDir, { recursive: true });
  const file = path.join(tmpDir, `upload-${randomBytes(12).toString("hex")}`);
  let parser: busboy.Busboy;
  try {
    parser = busboy({
      headers: { "content-type": contentType },
      limits: { files: 1, fileSize: maxBytes, fields: 10, parts: 12, fieldSize: 1024 },
    });
  } catch {
    throw new AppError("BAD_REQUEST", "Malformed multipart body");
  }

  return new Promise<Received>((resolve, reject) => {
    let received: Promise<Received> | undefined;
    let tooLarge = false;
    const fail = (error: unknown) => {
      void fs.rm(file, { force: true });
      reject(
        error instanceof AppError ? error : new AppError("BAD_REQUEST", "Malformed multipart body"),
      );
    };
    parser.on("file", (name, stream, info) => {
      if (name !== "file" || received) {
        stream.resume();
        return;
      }
      const chunks: Buffer[] = [];
      let headLength = 0;
      let size = 0;
      const counter = new Transform({
        transform(chunk: Buffer, _encoding, done) {
          size += chunk.length;
          if (headLength < HEAD_BYTES) {
            const part = chunk.subarray(0, HEAD_BYTES - headLength);
            chunks.push(part);
            headLength += part.length;
          }
          done(null, chunk);
        },
      });
      stream.on("limit", () => {
        tooLarge = true;
      });
      received = pipeline(stream, counter, createWriteStream(file, { mode: 0o600 })).then(() => ({
        file,
        size,
        head: Buffer.concat(chunks),
        fileName: info.filename ?? "",
        declaredType: info.mimeType ?? "",
      }));
      received.catch(() => {});
    });
    parser.on("error", fail);
    parser.on("close", () => {
      if (!received) {
        fail(new AppError("BAD_REQUEST", "No file: send it in the multipart field `file`"));
        return;
      }
      received
        .then((result) => {
          if (tooLarge) {
            fail(
              new AppError(
                "PAYLOAD_TOO_LARGE",
                `${what} are limited to ${Math.floor(maxBytes / 1024 / 1024)} MB`,
              ),
            );
          } else resolve(result);
        })
        .catch(fail);
    });
    Readable.fromWeb(request.body as WebReadableStream<Uint8Array>)
      .on("error", fail)
      .pipe(parser);
  });
}

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
    await withRls(userId, (tx) => loadChatAccess(tx, { userId, chatId }));
    const declaredLength = Number(request.headers.get("content-length") ?? "0");
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
      const image = await processImage(upload.file, clean, type.mime).catch(() => {
        throw new AppError("UNSUPPORTED_MEDIA_TYPE", "The image could not be read");
      });
      source = clean;
      size = (await fs.stat(clean)).size;
      width = image.width;
      height = image.height;
      thumb = thumbnailPath(objectPath);
      await storage.put(thumb, Readable.from(image.thumbnail), { contentType: "image/webp" });
      stored.push(thumb);
    }
    await storage.put(objectPath, createReadStream(/* turbopackIgnore: true */ source), {
      contentType: type.mime,
    });
    stored.push(objectPath);

    const attachment = await withRls(userId, (tx) =>
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
