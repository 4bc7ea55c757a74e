import "server-only";

import { getAuth } from "@/server/auth";
import { env } from "@/server/env";
import { API_ROUTES } from "./api-v1/routes";
import { buildOpenApiDocument } from "./api-v1/openapi";
import { exportAuditCsv } from "./audit-export";
import { downloadDataExport } from "./data-exports";
import { removeAvatar, serveAvatar, uploadAvatar } from "./avatars";
import { serveEmojibase } from "./emojibase";
import { health } from "./health";
import type { HttpRoute, WebHandler } from "./router";
import { serveSignedObject } from "./storage-objects";
import { uploadAttachment } from "./uploads";
import { openUnsubscribe, unsubscribe } from "./unsubscribe";

/** Better Auth's own endpoints: sign-in, sign-up, sessions, password reset, admin actions. */
const auth: WebHandler = (request) => getAuth().handler(request);

const openApiDocument: WebHandler = () =>
  Response.json(buildOpenApiDocument(env.appUrl), {
    headers: { "cache-control": "public, max-age=300" },
  });

const emojibase: WebHandler = (request, { version, locale, file }) =>
  serveEmojibase(request, { version: version!, locale: locale!, file: file! });

const signedObject: WebHandler = (request, { bucket, path }) =>
  serveSignedObject(request, bucket!, path!.split("/"));

/**
 * Every HTTP endpoint Parley serves besides tRPC (`server/http/trpc.ts`), realtime
 * (`server/realtime`) and Next's pages. The REST v1 routes come from their definitions, so
 * the OpenAPI document and what is served cannot disagree.
 */
export const HTTP_ROUTES: readonly HttpRoute[] = [
  { method: "GET", path: "/api/auth/{path*}", handle: auth },
  { method: "POST", path: "/api/auth/{path*}", handle: auth },
  { method: "GET", path: "/api/health", handle: health },
  { method: "GET", path: "/api/v1/openapi.json", handle: openApiDocument },
  ...API_ROUTES.map((route) => ({
    method: route.spec.method,
    path: route.spec.path,
    handle: route.handle,
  })),
  {
    method: "POST",
    path: "/api/chats/{chatId}/attachments",
    handle: (request, { chatId }) => uploadAttachment(request, chatId!),
    sameOriginOnly: true,
  },
  { method: "POST", path: "/api/me/avatar", handle: uploadAvatar, sameOriginOnly: true },
  { method: "DELETE", path: "/api/me/avatar", handle: removeAvatar, sameOriginOnly: true },
  {
    method: "GET",
    path: "/api/avatars/{userId}/{file}",
    handle: (request, { userId, file }) => serveAvatar(request, { userId: userId!, file: file! }),
  },
  { method: "GET", path: "/api/audit/export", handle: exportAuditCsv },
  {
    method: "GET",
    path: "/api/account/exports/{id}",
    handle: (request, { id }) => downloadDataExport(request, id!),
  },
  // Opened from mail, and posted by mail clients: the token, not the origin, is the proof.
  { method: "GET", path: "/api/notifications/unsubscribe", handle: openUnsubscribe },
  { method: "POST", path: "/api/notifications/unsubscribe", handle: unsubscribe, byUrlToken: true },
  { method: "GET", path: "/storage/v1/object/sign/{bucket}/{path*}", handle: signedObject },
  { method: "HEAD", path: "/storage/v1/object/sign/{bucket}/{path*}", handle: signedObject },
  { method: "GET", path: "/emojibase/{version}/{locale}/{file}", handle: emojibase },
  { method: "HEAD", path: "/emojibase/{version}/{locale}/{file}", handle: emojibase },
];

/**
 * Path prefixes that belong to the HTTP layer: a request under one of them that no route
 * matches is answered here (404, 405), never handed to Next.
 */
export const HTTP_PREFIXES = ["/api/", "/storage/v1/", "/emojibase/"] as const;
