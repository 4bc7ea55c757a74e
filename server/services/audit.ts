import { and, between, desc, eq, gte, lte, sql, type SQL } from "drizzle-orm";
import { apiAuditLogs } from "@/db/schema";
import type { Tx } from "@/db/types";
import type { AuditFilters, AuditRow } from "@/server/contracts/audit";
import { afterTimeCursor, encodeTimeCursor } from "./time-cursor";

const STATUS_RANGES = {
  "2xx": [200, 299],
  "3xx": [300, 399],
  "4xx": [400, 499],
  "5xx": [500, 599],
} as const;

function filtersToSql(filters: AuditFilters & { userId?: string }): SQL | undefined {
  const range = filters.status ? STATUS_RANGES[filters.status] : undefined;
  return and(
    filters.userId ? eq(apiAuditLogs.userId, filters.userId) : undefined,
    filters.apiKeyId ? eq(apiAuditLogs.apiKeyId, filters.apiKeyId) : undefined,
    range ? between(apiAuditLogs.statusCode, range[0], range[1]) : undefined,
    filters.method ? eq(apiAuditLogs.method, filters.method) : undefined,
    filters.endpoint
      ? sql`${apiAuditLogs.endpoint} ilike ${`%${filters.endpoint.replace(/[\\%_]/g, (c) => `\\${c}`)}%`}`
      : undefined,
    filters.from ? gte(apiAuditLogs.createdAt, filters.from) : undefined,
    filters.to ? lte(apiAuditLogs.createdAt, filters.to) : undefined,
  );
}

/**
 * Audit rows, newest first, keyset-paginated. `userId` narrows to one user's trail; RLS
 * decides what the caller may see at all (their own rows; everything for site admins).
 */
export async function listAuditLogs(
  tx: Tx,
  params: AuditFilters & { userId?: string; cursor?: string; limit: number },
): Promise<{ items: AuditRow[]; nextCursor: string | null }> {
  const rows = await tx
    .select()
    .from(apiAuditLogs)
    .where(
      and(
        filtersToSql(params),
        afterTimeCursor({ at: apiAuditLogs.createdAt, id: apiAuditLogs.id }, params.cursor),
      ),
    )
    .orderBy(desc(apiAuditLogs.createdAt), desc(apiAuditLogs.id))
    .limit(params.limit + 1);
  const page = rows.slice(0, params.limit).map((r) => ({
    ...r,
    details: (r.details as Record<string, unknown> | null) ?? null,
  }));
  const last = page.at(-1);
  return {
    items: page,
    nextCursor:
      rows.length > params.limit && last ? encodeTimeCursor(last.createdAt, last.id) : null,
  };
}

const CSV_COLUMNS = [
  "createdAt",
  "method",
  "endpoint",
  "statusCode",
  "responseTime",
  "apiKeyId",
  "userId",
  "actorId",
  "ipAddress",
  "userAgent",
] as const;

function csvCell(value: string | number | Date | null | undefined): string {
  if (value === null || value === undefined) return "";
  const text = value instanceof Date ? value.toISOString() : String(value);
  // Quote everything that needs it; a leading = + - @ is neutralised against formula injection.
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export const AUDIT_CSV_HEADER = `${CSV_COLUMNS.join(",")}\n`;

export function auditRowsToCsv(rows: AuditRow[]): string {
  return rows.map((r) => `${CSV_COLUMNS.map((c) => csvCell(r[c])).join(",")}\n`).join("");
}
