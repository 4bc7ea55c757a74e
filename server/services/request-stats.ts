import "server-only";

import { sql, type SQL } from "drizzle-orm";
import { queryRows } from "@/db/rows";
import type { Tx } from "@/db/types";
import type { RequestsDay } from "@/contracts/admin";

/** REST requests in the audit log: TRPC and AUTH rows record actions, not API calls. */
export const API_REQUEST = sql`l.method not in ('TRPC', 'AUTH')`;

/** The first UTC day of a window of `days` days ending today, as `YYYY-MM-DD`. */
export function windowStart(days: number, now = new Date()): string {
  const start = new Date(now);
  start.setUTCHours(0, 0, 0, 0);
  start.setUTCDate(start.getUTCDate() - (days - 1));
  return start.toISOString().slice(0, 10);
}

/**
 * REST requests per UTC day by status class over the last `days` days, every day present
 * (zero when quiet); a row counts the requests it stands for (`requestCount`). `scope` narrows the rows further; RLS has already narrowed them to what
 * the caller may see.
 */
export async function requestsPerDay(
  tx: Tx,
  params: { days: number; scope?: SQL; now?: Date },
): Promise<RequestsDay[]> {
  const from = windowStart(params.days, params.now);
  const to = (params.now ?? new Date()).toISOString().slice(0, 10);
  return queryRows<RequestsDay>(
    tx,
    sql`select to_char(series.d, 'YYYY-MM-DD') as day,
          coalesce(counted.success, 0)::int as success,
          coalesce(counted."clientErrors", 0)::int as "clientErrors",
          coalesce(counted."serverErrors", 0)::int as "serverErrors"
        from generate_series(${from}::date::timestamp, ${to}::date::timestamp, interval '1 day') as series(d)
        left join (
          select (l."createdAt" at time zone 'UTC')::date as d,
            sum(l."requestCount") filter (where l."statusCode" < 400) as success,
            sum(l."requestCount") filter (where l."statusCode" between 400 and 499) as "clientErrors",
            sum(l."requestCount") filter (where l."statusCode" >= 500) as "serverErrors"
          from public.api_audit_logs l
          where ${API_REQUEST}
            and l."createdAt" >= (${from}::date::timestamp at time zone 'UTC')
            ${params.scope ? sql`and ${params.scope}` : sql``}
          group by 1
        ) counted on counted.d = series.d::date
        order by series.d`,
  );
}

/** Requests, errors and the error share over the last 7 days of a per-day series. */
export function lastWeekTotals(days: RequestsDay[]): {
  last7Days: number;
  errors7Days: number;
  errorRate: number | null;
} {
  const week = days.slice(-7);
  const errors7Days = week.reduce((n, d) => n + d.clientErrors + d.serverErrors, 0);
  const last7Days = week.reduce((n, d) => n + d.success, 0) + errors7Days;
  return { last7Days, errors7Days, errorRate: last7Days === 0 ? null : errors7Days / last7Days };
}
