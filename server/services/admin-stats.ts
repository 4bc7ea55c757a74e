import "server-only";

import { sql } from "drizzle-orm";
import { queryRows } from "@/db/rows";
import type { Tx } from "@/db/types";
import type { AdminOverview } from "@/contracts/admin";
import { lastWeekTotals, requestsPerDay, windowStart } from "./request-stats";

/**
 * The admin overview over the last `days` UTC days. Users and audit rows come through the
 * admins' RLS policies; messages only as counts from `admin_message_counts`, which refuses
 * anyone but an admin. Run by a non-admin, the function raises (FORBIDDEN).
 */
export async function adminOverview(
  tx: Tx,
  params: { days: number; now?: Date },
): Promise<AdminOverview> {
  const now = params.now ?? new Date();
  const days = Math.max(7, params.days);
  const from = windowStart(days, now);
  const to = now.toISOString().slice(0, 10);

  const messageDays = await queryRows<{ day: string; messages: number }>(
    tx,
    sql`select to_char(c.day, 'YYYY-MM-DD') as day, c.messages
        from public.admin_message_counts(${from}::date, ${to}::date) c`,
  );
  const userDays = await queryRows<{ day: string; newUsers: number }>(
    tx,
    sql`select to_char(series.d, 'YYYY-MM-DD') as day, count(u.id)::int as "newUsers"
        from generate_series(${from}::date::timestamp, ${to}::date::timestamp, interval '1 day') as series(d)
        left join public."user" u
          on u."createdAt" >= (series.d at time zone 'UTC')
         and u."createdAt" < ((series.d + interval '1 day') at time zone 'UTC')
        group by series.d
        order by series.d`,
  );
  const [userTotals] = await queryRows<{ total: number }>(
    tx,
    sql`select count(*)::int as total from public."user"`,
  );
  const requests = await requestsPerDay(tx, { days, now });

  const messagesByDay = new Map(messageDays.map((d) => [d.day, d.messages]));
  const usersByDay = new Map(userDays.map((d) => [d.day, d.newUsers]));
  const series = requests.map((d) => ({
    ...d,
    messages: messagesByDay.get(d.day) ?? 0,
    newUsers: usersByDay.get(d.day) ?? 0,
  }));
  const week = series.slice(-7);
  return {
    users: {
      total: userTotals?.total ?? 0,
      newThisWeek: week.reduce((n, d) => n + d.newUsers, 0),
    },
    messages: {
      today: series.at(-1)?.messages ?? 0,
      last7Days: week.reduce((n, d) => n + d.messages, 0),
    },
    requests: lastWeekTotals(requests),
    days: series,
  };
}
