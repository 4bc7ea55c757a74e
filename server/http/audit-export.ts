import "server-only";

import { withRls } from "@/db/rls";
import { getRequestSession } from "@/server/auth-session";
import { sessionActor } from "@/server/session-actor";
import { adminAuditFiltersSchema, auditFiltersSchema } from "@/contracts/audit";
import { AppError, toAppError } from "@/server/errors";
import { AUDIT_CSV_HEADER, auditRowsToCsv, listAuditLogs } from "@/server/services/audit";
import { logger } from "@/server/logger";
import { errorResponse } from "./error-response";

const PAGE = 500;

/**
 * The signed-in user's audit trail (or, for a site admin with `all=1`, everyone's, optionally
 * narrowed by `userId` or `user` name/email) as CSV, with the list's filters applied,
 * streamed page by page: each page is its own short RLS transaction, so a large export never
 * holds the database or builds the file in memory.
 */
export async function exportAuditCsv(request: Request): Promise<Response> {
  const session = await getRequestSession(request.headers);
  if (!session)
    return errorResponse(new AppError("UNAUTHORIZED", "Sign in to export your audit log"));
  const params = Object.fromEntries(new URL(request.url).searchParams);
  // Empty fields of a submitted filter form mean "no filter", not "match the empty string".
  const { all, ...filterParams } = Object.fromEntries(
    Object.entries(params).filter(([, value]) => value !== ""),
  );
  const everyone = all === "1";
  if (everyone && !(session.user.role ?? "").split(",").includes("admin")) {
    return errorResponse(new AppError("FORBIDDEN", "Only admins export the whole audit log"));
  }
  // Only the whole log can be narrowed to a user: one's own export is always one's own rows.
  const filters = (everyone ? adminAuditFiltersSchema : auditFiltersSchema).safeParse(filterParams);
  if (!filters.success) {
    return errorResponse(
      new AppError("UNPROCESSABLE_CONTENT", "Invalid filters", {
        issues: filters.error.issues.map((i) => ({ path: i.path, message: i.message })),
      }),
    );
  }
  const userId = session.user.id;
  const readPage = (cursor: string | undefined) =>
    withRls(sessionActor(session), (tx) =>
      listAuditLogs(tx, {
        ...filters.data,
        ...(everyone ? {} : { userId }),
        cursor,
        limit: PAGE,
      }),
    );
  // The first page is read before answering: a filter the database refuses is a 4xx, not a
  // 200 cut off after its header line.
  let first: Awaited<ReturnType<typeof readPage>>;
  try {
    first = await readPage(undefined);
  } catch (error) {
    const appError = toAppError(error);
    if (appError.code === "INTERNAL_SERVER_ERROR")
      logger.error({ err: error }, "audit export failed");
    return errorResponse(appError);
  }
  let cursor = first.nextCursor ?? undefined;
  const encoder = new TextEncoder();
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode(AUDIT_CSV_HEADER + auditRowsToCsv(first.items)));
      if (!cursor) controller.close();
    },
    async pull(controller) {
      if (!cursor) return;
      try {
        const page = await readPage(cursor);
        if (page.items.length) controller.enqueue(encoder.encode(auditRowsToCsv(page.items)));
        cursor = page.nextCursor ?? undefined;
        if (!cursor) controller.close();
      } catch (error) {
        logger.error({ err: error }, "audit export failed");
        controller.error(error);
      }
    },
  });
  const stamp = new Date().toISOString().slice(0, 10);
  return new Response(stream, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="parley-audit-${stamp}.csv"`,
      "cache-control": "no-store",
    },
  });
}
