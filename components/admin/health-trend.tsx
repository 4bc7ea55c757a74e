"use client";

import { useSuspenseQuery } from "@tanstack/react-query";
import { Card, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { TrendLineChart } from "@/components/ui/chart";
import type { RealtimeHealth } from "@/contracts/admin-health";
import { useFormatters } from "@/lib/format";
import { useTRPC } from "@/lib/trpc/react";

/**
 * The last hours as lines: connections by state, realtime sockets and channels, and the work
 * waiting in the queues. Samples are kept in the server's memory, so a restart starts over.
 */
export function HealthTrend({ realtime }: { realtime: RealtimeHealth }) {
  const trpc = useTRPC();
  const format = useFormatters();
  const { data } = useSuspenseQuery(trpc.admin.health.trend.queryOptions());
  const rows = data.samples.map((s) => ({
    label: format.time(s.at),
    active: s.active,
    idle: s.idle,
    idleInTransaction: s.idleInTransaction,
    realtimeConnections: s.realtimeConnections ?? 0,
    realtimeChannels: s.realtimeChannels ?? 0,
    queuedJobs: s.queuedJobs,
    auditPending: s.auditPending ?? 0,
  }));
  const hasRealtime = data.samples.some((s) => s.realtimeConnections !== null);
  const hasAudit = data.samples.some((s) => s.auditPending !== null);
  const minutes = data.everySeconds / 60;
  const span =
    data.samples.length < 2
      ? `The trend fills in as samples are taken, one every ${format.number(minutes)} minute${minutes === 1 ? "" : "s"}, and starts over when the server restarts.`
      : `${format.number(data.samples.length)} samples since ${format.time(data.samples[0]!.at)}, one every ${format.number(minutes)} minute${minutes === 1 ? "" : "s"}.`;

  return (
    <Card>
      <CardHeader>
        <CardTitle>Trend</CardTitle>
        <CardDescription>{span}</CardDescription>
      </CardHeader>
      <div className="grid grid-cols-1 gap-6 xl:grid-cols-3">
        <section aria-labelledby="trend-connections" className="min-w-0">
          <h3 id="trend-connections" className="mb-2 text-sm font-medium">
            Database connections
          </h3>
          <TrendLineChart
            rowHeader="Time"
            title="Database connections by state"
            data={rows}
            height={200}
            series={[
              { key: "active", label: "Active", color: "var(--chart-1)" },
              { key: "idle", label: "Idle", color: "var(--chart-2)" },
              { key: "idleInTransaction", label: "Idle in transaction", color: "var(--chart-4)" },
            ]}
          />
        </section>
        <section aria-labelledby="trend-realtime" className="min-w-0">
          <h3 id="trend-realtime" className="mb-2 text-sm font-medium">
            Realtime gateway
          </h3>
          {hasRealtime ? (
            <TrendLineChart
              rowHeader="Time"
              title="Realtime gateway connections and channels"
              data={rows}
              height={200}
              series={[
                { key: "realtimeConnections", label: "Connections", color: "var(--chart-1)" },
                { key: "realtimeChannels", label: "Channels", color: "var(--chart-5)" },
              ]}
            />
          ) : (
            <p className="text-sm text-muted-foreground">
              {realtime.source === "supabase"
                ? "Realtime is hosted by Supabase: its connections are on Supabase's dashboard."
                : "No realtime gateway reports to this page yet."}
            </p>
          )}
        </section>
        <section aria-labelledby="trend-queues" className="min-w-0">
          <h3 id="trend-queues" className="mb-2 text-sm font-medium">
            Queued work
          </h3>
          <TrendLineChart
            rowHeader="Time"
            title="Queued work: jobs in the queue tables and audit rows in memory"
            data={rows}
            height={200}
            series={[
              { key: "queuedJobs", label: "Queued jobs", color: "var(--chart-3)" },
              ...(hasAudit
                ? [{ key: "auditPending" as const, label: "Audit rows", color: "var(--chart-5)" }]
                : []),
            ]}
          />
        </section>
      </div>
    </Card>
  );
}
