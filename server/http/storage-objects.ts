import "server-only";

import { createReadStream } from "node:fs";
import { Readable } from "node:stream";
import { sql } from "drizzle-orm";
import { withRls } from "@/db/rls";
import { queryRows } from "@/db/rows";
import { getStorage } from "@/server/storage";
import { StorageError } from "@/server/storage/driver";
import { INLINE_IMAGE_TYPES } from "@/server/media/file-types";
import { LocalStorageDriver } from "@/server/storage/local";
import { verifyObjectToken } from "@/server/storage/signed-url";

function storageError(status: number, error: string, message: string): Response {
  // Supabase Storage's error shape, which storage-js reads.
  return Response.json({ statusCode: String(status), error, message }, { status });
}

/** RFC 6266 / 5987: an ASCII fallback plus the exact UTF-8 name. */
function contentDisposition(kind: "inline" | "attachment", fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]/g, "_").replace(/["\\]/g, "_");
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}

function parseRange(
  header: string | null,
  size: number,
): { start: number; end: number } | null | "invalid" {
  if (!header) return null;
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match || (match[1] === "" && match[2] === "")) return "invalid";
  let start: number;
  let end: number;
  if (match[1] === "") {
    const suffix = Number(match[2]);
    if (suffix === 0) return "invalid";
    start = Math.max(0, size - suffix);
    end = size - 1;
  } else {
    start = Number(match[1]);
    end = match[2] === "" ? size - 1 : Math.min(Number(match[2]), size - 1);
  }
  if (start > end || start >= size) return "invalid";
  return { start, end };
}

/**
 * `GET /storage/v1/object/sign/<bucket>/<path>?token=…[&download=name]` for the local driver.
 * The token must name this exact object and be unexpired, and the object must still be live
 * (a soft-deleted message's or a deleted group's files stop being served at once); its type
 * and name come from the token, so the database tells an anonymous caller no more than that.
 * Nothing is ever served for a browser to render as a page: `nosniff`, a sandboxing CSP, and
 * `attachment` for anything but a plain raster image. Byte ranges are served, so audio and
 * video seek.
 */
export async function serveSignedObject(
  request: Request,
  bucket: string,
  segments: string[],
): Promise<Response> {
  const driver = getStorage();
  if (!(driver instanceof LocalStorageDriver) || bucket !== driver.bucket) {
    return storageError(404, "not_found", "Object not found");
  }
  const storage = driver;
  const objectPath = segments.join("/");
  const url = new URL(request.url);
  const check = await verifyObjectToken(url.searchParams.get("token"), `${bucket}/${objectPath}`);
  if (!check.ok) return storageError(400, "InvalidJWT", check.reason);

  let file: string;
  try {
    file = storage.fileFor(objectPath);
  } catch (error) {
    if (error instanceof StorageError)
      return storageError(400, "InvalidKey", "Invalid object path");
    throw error;
  }
  const [live] = await withRls(null, (tx) =>
    queryRows<{ live: boolean }>(tx, sql`select public.storage_object_live(${objectPath}) as live`),
  );
  const stat = live?.live ? await storage.stat(objectPath) : null;
  if (!stat) return storageError(404, "not_found", "Object not found");
  // A token signed without them is served as an anonymous download.
  const mimeType = check.contentType ?? "application/octet-stream";
  const fileName = check.fileName ?? objectPath.slice(objectPath.lastIndexOf("/") + 1);

  const download = url.searchParams.get("download");
  const inline = INLINE_IMAGE_TYPES.has(mimeType) && download === null;
  const headers = new Headers({
    "content-type": mimeType,
    "x-content-type-options": "nosniff",
    "content-security-policy": "default-src 'none'; sandbox",
    "content-disposition": contentDisposition(
      inline ? "inline" : "attachment",
      download || fileName,
    ),
    "cache-control": "private, max-age=300",
    "accept-ranges": "bytes",
  });

  const range = parseRange(request.headers.get("range"), stat.size);
  if (range === "invalid") {
    headers.set("content-range", `bytes */${stat.size}`);
    return new Response(null, { status: 416, headers });
  }
  const { start, end } = range ?? { start: 0, end: stat.size - 1 };
  headers.set("content-length", String(stat.size === 0 ? 0 : end - start + 1));
  if (range) headers.set("content-range", `bytes ${start}-${end}/${stat.size}`);
  const body =
    stat.size === 0
      ? null
      : (Readable.toWeb(createReadStream(file, { start, end })) as ReadableStream<Uint8Array>);
  return new Response(request.method === "HEAD" ? null : body, {
    status: range ? 206 : 200,
    headers,
  });
}
