import "server-only";

import fs from "node:fs/promises";
import path from "node:path";
import { Readable } from "node:stream";
import { eq } from "drizzle-orm";
import { z } from "zod";
import { withRls } from "@/db/rls";
import { user } from "@/db/schema";
import { getRequestSession } from "@/server/auth-session";
import { sessionActor } from "@/server/session-actor";
import { env } from "@/server/env";
import { AppError } from "@/server/errors";
import { spendBudget } from "@/server/limits/budgets";
import { logger } from "@/server/logger";
import { updateProfile } from "@/server/services/me";
import { getStorage } from "@/server/storage";
import {
  AVATAR_MAX_BYTES,
  avatarObjectPath,
  avatarUrl,
  parseAvatarUrl,
  type AvatarRef,
} from "@/contracts/avatar-paths";
import { renderAvatar, storeAvatar, type CropRect } from "@/server/media/avatars";
import { detectAllowedType, PROCESSABLE_IMAGE_TYPES } from "@/server/media/file-types";
import { errorResponse } from "./error-response";
import { MULTIPART_OVERHEAD, receiveFile } from "./multipart";

const pixel = z.coerce.number().finite().min(0).max(100_000);
const cropQuery = z
  .object({ x: pixel, y: pixel, width: pixel.min(1), height: pixel.min(1) })
  .strict();

/** The crop rectangle from `?x=&y=&width=&height=` (all or none), in the image's pixels. */
function parseCrop(url: URL): CropRect | null {
  const entries = Object.fromEntries(url.searchParams);
  if (Object.keys(entries).length === 0) return null;
  const parsed = cropQuery.safeParse(entries);
  if (!parsed.success) {
    throw new AppError("BAD_REQUEST", "The crop needs x, y, width and height in pixels", {
      issues: parsed.error.issues.map((i) => ({ path: i.path, message: i.message })),
    });
  }
  return parsed.data;
}

async function signedInUserId(request: Request): Promise<string> {
  const session = await getRequestSession(request.headers);
  if (!session) throw new AppError("UNAUTHORIZED", "Sign in to change your avatar");
  return session.user.id;
}

function failure(error: unknown, what: string): Response {
  if (error instanceof AppError) return errorResponse(error);
  logger.error({ err: error }, what);
  return errorResponse(new AppError("INTERNAL_SERVER_ERROR", "The avatar could not be saved"));
}

/**
 * `POST /api/me/avatar[?x=&y=&width=&height=]`, multipart field `file`: the caller's new
 * avatar. Images only (PNG, JPEG, GIF, WebP by their bytes), at most 5 MB; cropped to a
 * square, stored as a 256 × 256 WebP, and set as the caller's picture. The old one goes.
 */
export async function uploadAvatar(request: Request): Promise<Response> {
  const tmpDir = path.join(env.dataDir, "tmp");
  let temporary: string | null = null;
  let created: AvatarRef | null = null;
  try {
    const userId = await signedInUserId(request);
    await spendBudget("uploads", userId);
    const crop = parseCrop(new URL(request.url));
    const declaredLength = Number(request.headers.get("content-length") ?? "0");
    if (declaredLength > AVATAR_MAX_BYTES + MULTIPART_OVERHEAD) {
      throw new AppError("PAYLOAD_TOO_LARGE", "Avatars are limited to 5 MB");
    }
    const upload = await receiveFile(request, tmpDir, AVATAR_MAX_BYTES, "Avatars");
    temporary = upload.file;
    const type = await detectAllowedType(upload.head, upload.declaredType, upload.fileName);
    if (!type || !PROCESSABLE_IMAGE_TYPES.has(type.mime)) {
      throw new AppError("UNSUPPORTED_MEDIA_TYPE", "An avatar must be a PNG, JPEG, GIF or WebP");
    }
    const image = await renderAvatar(upload.file, crop);
    const { ref, created: isNew } = await storeAvatar(getStorage(), userId, image);
    if (isNew) created = ref;
    const profile = await withRls(userId, (tx) =>
      updateProfile(tx, { userId, image: avatarUrl(ref) }),
    );
    return Response.json(profile, { status: 201 });
  } catch (error) {
    // The profile was not changed: a file stored for it would never be used.
    if (created) {
      const orphan = avatarObjectPath(created);
      await getStorage()
        .remove([orphan])
        .catch((e: unknown) => logger.warn({ err: e, orphan }, "unused avatar not removed"));
    }
    return failure(error, "avatar upload failed");
  } finally {
    if (temporary) await fs.rm(temporary, { force: true });
  }
}

/** `DELETE /api/me/avatar`: back to initials; the stored file is removed. */
export async function removeAvatar(request: Request): Promise<Response> {
  try {
    const userId = await signedInUserId(request);
    const profile = await withRls(userId, (tx) => updateProfile(tx, { userId, image: null }));
    return Response.json(profile);
  } catch (error) {
    return failure(error, "avatar removal failed");
  }
}

/**
 * `GET /api/avatars/{userId}/{hash}.webp`: a user's current avatar, to whoever may see that
 * user (RLS decides; anyone else, and any replaced avatar, is 404). The URL names the bytes,
 * so it is cached for good and revalidates by ETag.
 */
export async function serveAvatar(
  request: Request,
  params: { userId: string; file: string },
): Promise<Response> {
  const notFound = () => errorResponse(new AppError("NOT_FOUND", "Avatar not found"));
  const ref = parseAvatarUrl(`/api/avatars/${params.userId}/${params.file}`);
  if (!ref) return notFound();
  try {
    // Signed-out visitors see no users, so no avatars either.
    const session = await getRequestSession(request.headers);
    if (!session) return notFound();
    const [owner] = await withRls(sessionActor(session), (tx) =>
      tx.select({ image: user.image }).from(user).where(eq(user.id, ref.userId)),
    );
    if (!owner || owner.image !== avatarUrl(ref)) return notFound();
    const etag = `"${ref.hash}"`;
    const headers = new Headers({
      "content-type": "image/webp",
      "cache-control": "private, max-age=31536000, immutable",
      etag,
      "x-content-type-options": "nosniff",
      "content-security-policy": "default-src 'none'; sandbox",
    });
    if (request.headers.get("if-none-match") === etag) {
      return new Response(null, { status: 304, headers });
    }
    const body = await getStorage().get(avatarObjectPath(ref));
    if (!body) return notFound();
    return new Response(Readable.toWeb(body) as ReadableStream<Uint8Array>, { headers });
  } catch (error) {
    logger.error({ err: error }, "avatar could not be served");
    return errorResponse(new AppError("INTERNAL_SERVER_ERROR", "The avatar could not be served"));
  }
}
