import "server-only";

import { and, desc, eq, gt, sql } from "drizzle-orm";
import { queryRows } from "@/db/rows";
import { dataExports } from "@/db/schema";
import type { Tx } from "@/db/types";
import {
  dataExportDownloadPath,
  type DataExport,
  type DataExportLatest,
} from "@/contracts/data-exports";
import { env } from "@/server/env";
import { AppError, sqlState } from "@/server/errors";

/** How many of a person's past requests the list shows. */
const LISTED = 10;

const exportColumns = {
  id: dataExports.id,
  status: dataExports.status,
  progress: dataExports.progress,
  size: dataExports.size,
  createdAt: dataExports.createdAt,
  readyAt: dataExports.readyAt,
  expiresAt: dataExports.expiresAt,
};

type ExportRow = Omit<DataExport, "downloadUrl">;

/**
 * What the owner is told: an archive past its time is expired even before the cleanup gets
 * to it, and only a live one has a link.
 */
function present(row: ExportRow, now: Date): DataExport {
  const live = row.status === "ready" && row.expiresAt !== null && row.expiresAt > now;
  const status = row.status === "ready" && !live ? "expired" : row.status;
  return { ...row, status, downloadUrl: live ? dataExportDownloadPath(row.id) : null };
}

const inFlight = (status: DataExport["status"]) => status === "queued" || status === "running";

/** When the caller may ask again, given their newest request (null: now). */
function nextRequestAt(rows: ExportRow[], intervalMinutes: number): Date | null {
  const counted = rows.find((r) => r.status !== "failed");
  if (!counted) return null;
  const next = new Date(counted.createdAt.getTime() + intervalMinutes * 60_000);
  return next > new Date() ? next : null;
}

/** The caller's recent requests, newest first (RLS shows nobody else's). */
export async function listDataExports(tx: Tx, params: { userId: string }): Promise<DataExport[]> {
  const rows = await tx
    .select(exportColumns)
    .from(dataExports)
    .where(eq(dataExports.userId, params.userId))
    .orderBy(desc(dataExports.createdAt), desc(dataExports.id))
    .limit(LISTED);
  const now = new Date();
  return rows.map((row) => present(row, now));
}

export async function latestDataExport(
  tx: Tx,
  params: { userId: string },
): Promise<DataExportLatest> {
  const rows = await listDataExports(tx, params);
  const latest = rows[0] ?? null;
  return {
    latest,
    nextRequestAt:
      latest && inFlight(latest.status) ? null : nextRequestAt(rows, intervalMinutes()),
    ttlHours: env.DATA_EXPORT_TTL_HOURS,
  };
}

const intervalMinutes = () => env.DATA_EXPORT_INTERVAL_MINUTES;

function tooSoon(next: Date): AppError {
  const seconds = Math.max(1, Math.ceil((next.getTime() - Date.now()) / 1000));
  return new AppError(
    "TOO_MANY_REQUESTS",
    `You can ask for your data again at ${next.toISOString()}`,
    { retryAfterSeconds: seconds, nextRequestAt: next.toISOString() },
  );
}

const ALREADY_PREPARING = "Your data is already being prepared; wait for it to be ready";

/**
 * Queues a copy of the caller's data. The database decides (`request_data_export`): one in
 * flight a person, and one request an interval; the checks here only word its refusals.
 */
export async function requestDataExport(tx: Tx, params: { userId: string }): Promise<DataExport> {
  const recent = await tx
    .select(exportColumns)
    .from(dataExports)
    .where(
      and(
        eq(dataExports.userId, params.userId),
        gt(dataExports.createdAt, sql`now() - make_interval(mins => ${intervalMinutes()})`),
      ),
    )
    .orderBy(desc(dataExports.createdAt), desc(dataExports.id));
  if (recent.some((r) => inFlight(r.status))) throw new AppError("CONFLICT", ALREADY_PREPARING);
  const next = nextRequestAt(recent, intervalMinutes());
  if (next) throw tooSoon(next);

  const [created] = await queryRows<{ id: string }>(
    tx,
    sql`select public.request_data_export(${intervalMinutes()}) as id`,
  ).catch((error: unknown) => {
    // Another request of the caller's got there first.
    if (sqlState(error) === "55000") throw new AppError("CONFLICT", ALREADY_PREPARING);
    if (sqlState(error) === "54000") throw tooSoon(new Date(Date.now() + 60_000));
    throw error;
  });
  const [row] = await tx
    .select(exportColumns)
    .from(dataExports)
    .where(eq(dataExports.id, created!.id));
  if (!row) throw new AppError("NOT_FOUND", "Export not found");
  return present(row, new Date());
}
