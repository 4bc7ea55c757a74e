import "server-only";

import { and, between, desc, eq, gte, ilike, inArray, lte, sql, type SQL } from "drizzle-orm";
import { apiAuditLogs, apiKeys, user } from "@/db/schema";
import type { Tx } from "@/db/types";
import type { AuditFilters, AuditRow, AuditViewRow } from "@/contracts/audit";
import { containsPattern } from "./like-pattern";
import { afterTimeCursor, cursorTime, encodeTimeCursor } from "./time-cursor";

const STATUS_RANGES = {
  "2xx": [200, 299],
  "3xx": [300, 399],
  "4xx": [400, 499],
  "5xx": [500, 599],
} as const;

type ListFilters = AuditFilters & { userId?: string; user?: string };

/** Rows of users whose name or email contains `text` (RLS: admins see every user). */
function userMatches(text: string): SQL {
  const pattern = containsPattern(text);
  return inArray(
    apiAuditLogs.userId,
    sql`(select u.id from public."user" u
          where u.name ilike ${pattern} or public.user_email(u.id) ilike ${pattern})`,
  );
}

function filtersToSql(filters: ListFilters): SQL | undefined {
  const range = filters.status ? STATUS_RANGES[filters.status] : undefined;
  return and(
    filters.userId ? eq(apiAuditLogs.userId, filters.userId) : undefined,
    filters.user ? userMatches(filters.user) : undefined,
    filters.apiKeyId ? eq(apiAuditLogs.apiKeyId, filters.apiKeyId) : undefined,
    range ? between(apiAuditLogs.statusCode, range[0], range[1]) : undefined,
    filters.method ? eq(apiAuditLogs.method, filters.method) : undefined,
    filters.endpoint ? ilike(apiAuditLogs.endpoint, containsPattern(filters.endpoint)) : undefined,
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
  params: ListFilters & { cursor?: string; limit: number },
): Promise<{ items: AuditRow[]; nextCursor: string | null }> {
  const rows = await tx
    .select({ row: apiAuditLogs, cursorAt: cursorTime(apiAuditLogs.createdAt) })
    .from(apiAuditLogs)
    .where(
      and(
        filtersToSql(params),
        afterTimeCursor({ at: apiAuditLogs.createdAt, id: apiAuditLogs.id }, params.cursor),
      ),
    )
    .orderBy(desc(apiAuditLogs.createdAt), desc(apiAuditLogs.id))
    .limit(params.limit + 1);
  const page = rows.slice(0, params.limit);
  const last = page.at(-1);
  return {
    items: page.map(({ row }) => ({
      ...row,
      details: (row.details as Record<string, unknown> | null) ?? null,
    })),
    nextCursor:
      rows.length > params.limit && last ? encodeTimeCursor(last.cursorAt, last.row.id) : null,
  };
}

/**
 * The same page with names beside the ids: the key's name and prefix, the user's name and
 * email. Read under the caller's RLS, so a name the caller may not see stays null.
 */
export async function labelAuditRows(tx: Tx, rows: AuditRow[]): Promise<AuditViewRow[]> {
  const keyIds = [...new Set(rows.flatMap((r) => (r.apiKeyId ? [r.apiKeyId] : [])))];
  const userIds = [...new Set(rows.flatMap((r) => (r.userId ? [r.userId] : [])))];
  const keys = keyIds.length
    ? await tx
        .select({ id: apiKeys.id, name: apiKeys.name, prefix: apiKeys.prefix })
        .from(apiKeys)
        .where(inArray(apiKeys.id, keyIds))
    : [];
  const users = userIds.length
    ? await tx
        .select({
          id: user.id,
          name: user.name,
          email: sql<string | null>`public.user_email(${user.id})`,
        })
        .from(user)
        .where(inArray(user.id, userIds))
    : [];
  const keyById = new Map(keys.map((k) => [k.id, k]));
  const userById = new Map(users.map((u) => [u.id, u]));
  return rows.map((r) => {
    const key = r.apiKeyId ? keyById.get(r.apiKeyId) : undefined;
    const owner = r.userId ? userById.get(r.userId) : undefined;
    return {
      ...r,
      keyName: key?.name ?? null,
      keyPrefix: key?.prefix ?? null,
      userName: owner?.name ?? null,
      userEmail: owner?.email ?? null,
    };
  });
}

/** A page of the log, labelled for the app. */
export async function listAuditView(
  tx: Tx,
  params: ListFilters & { cursor?: string; limit: number },
): Promise<{ items: AuditViewRow[]; nextCursor: string | null }> {
  const page = await listAuditLogs(tx, params);
  return { items: await labelAuditRows(tx, page.items), nextCursor: page.nextCursor };
}

const CSV_COLUMNS = [
  "createdAt",
  "method",
  "endpoint",
  "statusCode",
  "requestCount",
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
