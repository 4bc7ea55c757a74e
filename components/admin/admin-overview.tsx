"use client";

import { useSuspenseQuery } from "@tanstack/react-query";
import { MessageSquare, Users } from "lucide-react";
import { RequestStatCards } from "@/components/dashboard/request-stat-cards";
import { StatCard, StatGrid } from "@/components/dashboard/stat-card";
import { Card, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { StackedBarChart, TrendLineChart } from "@/components/ui/chart";
import { useFormatters } from "@/lib/format";
import { useTRPC } from "@/lib/trpc/react";
import { DeadLettersCard } from "./dead-letters-card";
import { ADMIN_OVERVIEW_DAYS as OVERVIEW_DAYS } from "@/contracts/admin";

/** Site-wide figures for the last 30 UTC days: users, messages, API requests, errors. */
export function AdminOverview() {
  const trpc = useTRPC();
  const format = useFormatters();
  const { data } = useSuspenseQuery(
    trpc.admin.stats.overview.queryOptions({ days: OVERVIEW_DAYS }),
  );
  const rows = data.days.map((d) => ({ ...d, label: format.day(d.day) }));
  const { requests } = data;

  return (
    <div className="space-y-6">
      <StatGrid>
        <StatCard
          testId="stat-users"
          label="Users"
          icon={<Users aria-hidden="true" />}
          value={format.number(data.users.total)}
          hint={`${format.number(data.users.newThisWeek)} new this week`}
        />
        <StatCard
          testId="stat-messages"
          label="Messages today"
          icon={<MessageSquare aria-hidden="true" />}
          value={format.number(data.messages.today)}
          hint={`${format.number(data.messages.last7Days)} in the last 7 days`}
        />
        <RequestStatCards requests={requests} />
      </StatGrid>

      <div className="grid grid-cols-1 gap-6 xl:grid-cols-2">
        <Card>
          <CardHeader>
            <CardTitle>Messages per day</CardTitle>
            <CardDescription>
              Messages sent in all chats, last {OVERVIEW_DAYS} days (UTC)
            </CardDescription>
          </CardHeader>
          <StackedBarChart
            title={`Messages per day, last ${OVERVIEW_DAYS} days`}
            data={rows}
            series={[{ key: "messages", label: "Messages", color: "var(--chart-1)" }]}
          />
        </Card>
        <Card>
          <CardHeader>
            <CardTitle>API requests per day</CardTitle>
            <CardDescription>
              REST API calls by status, last {OVERVIEW_DAYS} days (UTC)
            </CardDescription>
          </CardHeader>
          <StackedBarChart
            title={`API requests per day by status, last ${OVERVIEW_DAYS} days`}
            data={rows}
            series={[
              { key: "success", label: "Success", color: "var(--chart-2)" },
              { key: "clientErrors", label: "Client errors (4xx)", color: "var(--chart-3)" },
              { key: "serverErrors", label: "Server errors (5xx)", color: "var(--chart-4)" },
            ]}
          />
        </Card>
        <Card className="xl:col-span-2">
          <CardHeader>
            <CardTitle>New users per day</CardTitle>
            <CardDescription>Sign-ups, last {OVERVIEW_DAYS} days (UTC)</CardDescription>
          </CardHeader>
          <TrendLineChart
            title={`New users per day, last ${OVERVIEW_DAYS} days`}
            data={rows}
            series={[{ key: "newUsers", label: "New users", color: "var(--chart-5)" }]}
            height={200}
          />
        </Card>
      </div>

      <DeadLettersCard />
    </div>
  );
}
