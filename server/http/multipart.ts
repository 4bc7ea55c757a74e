import "server-only";

import { randomBytes } from "node:crypto";
import { createWriteStream } from "node:fs";
import fs from "node:fs/promises";
import path from "node:path";
import { Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ReadableStream as WebReadableStream } from "node:stream/web";
import busboy from "busboy";
import { AppError } from "@/server/errors";

const HEAD_BYTES = 4100;
/** Multipart framing around the file: headers, boundaries, a few small fields. */
export const MULTIPART_OVERHEAD = 64 * 1024;

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
