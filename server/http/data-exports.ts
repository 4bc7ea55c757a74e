import "server-only";

import { Readable } from "node:stream";
import { and, eq, gt, sql } from "drizzle-orm";
import { isUuid } from "@/contracts/uuid";
import { withRls } from "@/db/rls";
import { dataExports } from "@/db/schema";
import { recordAudit } from "@/server/audit/buffer";
import { getRequestSession } from "@/server/auth-session";
import { AppError } from "@/server/errors";
import { logger } from "@/server/logger";
import { sessionActor } from "@/server/session-actor";
import { getStorage } from "@/server/storage";
import { errorResponse } from "./error-response";

const ENDPOINT = "/api/account/exports/{id}";
/** Where a signed-out browser is sent: the page that lists the download once signed in. */
const SETTINGS_PAGE = "/settings/data";

/**
 * `GET /api/account/exports/{id}`: a person's data archive, to that person only, while it is
 * ready and unexpired. Anyone else, and any other moment, gets 404: RLS shows the row to its
 * owner alone, so another person's export is indistinguishable from none. Every answer to a
 * signed-in caller is audited, downloads and refusals alike.
 */
export async function downloadDataExport(request: Request, id: string): Promise<Response> {
  const started = performance.now();
  const session = await getRequestSession(request.headers);
  if (!session) {
    if ((request.headers.get("accept") ?? "").includes("text/html")) {
      return new Response(null, {
        status: 303,
        headers: {
          location: `/sign-in?next=${encodeURIComponent(SETTINGS_PAGE)}`,
          "cache-control": "no-store",
        },
      });
    }
    return errorResponse(new AppError("UNAUTHORIZED", "Sign in to download your data"));
  }
  const audit = (statusCode: number) =>
    recordAudit({
      apiKeyId: null,
      userId: session.user.id,
      actorId: session.user.id,
      endpoint: ENDPOINT,
      method: "GET",
      statusCode,
      responseTime: Math.round(performance.now() - started),
      ipAddress: request.headers.get("x-forwarded-for"),
      userAgent: request.headers.get("user-agent"),
      details: { action: "data_export.downloaded", exportId: isUuid(id) ? id : null },
    });
  const notFound = () => {
    audit(404);
    return errorResponse(new AppError("NOT_FOUND", "No such export, or it has expired"));
  };
  if (!isUuid(id)) return notFound();
  try {
    const [found] = await withRls(sessionActor(session), (tx) =>
      tx
        .select({
          storagePath: dataExports.storagePath,
          size: dataExports.size,
          readyAt: dataExports.readyAt,
        })
        .from(dataExports)
        .where(
          and(
            eq(dataExports.id, id),
            eq(dataExports.userId, session.user.id),
            eq(dataExports.status, "ready"),
            gt(dataExports.expiresAt, sql`now()`),
          ),
        ),
    );
    if (!found?.storagePath) return notFound();
    const body = await getStorage().get(found.storagePath);
    if (!body) return notFound();
    audit(200);
    const stamp = (found.readyAt ?? new Date()).toISOString().slice(0, 10);
    const headers = new Headers({
      "content-type": "application/zip",
      "content-disposition": `attachment; filename="parley-data-${stamp}.zip"`,
      "cache-control": "no-store",
      "x-content-type-options": "nosniff",
    });
    if (found.size !== null) headers.set("content-length", String(found.size));
    return new Response(Readable.toWeb(body) as ReadableStream<Uint8Array>, { headers });
  } catch (error) {
    logger.error({ err: error }, "data export download failed");
    audit(500);
    return errorResponse(new AppError("INTERNAL_SERVER_ERROR", "The download failed"));
  }
}
