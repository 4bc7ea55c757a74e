"use client";

import { useIsFetching, useQueryClient, useSuspenseQuery } from "@tanstack/react-query";
import { Activity, Database, Gauge, RadioTower, RefreshCw } from "lucide-react";
import { StatCard, StatGrid } from "@/components/dashboard/stat-card";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { RelativeTime } from "@/components/ui/relative-time";
import {
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
} from "@/components/ui/table";
import type { HealthOverview, HealthQueue } from "@/contracts/admin-health";
import { formatBytes } from "@/lib/format-bytes";
import { useFormatters, type Formatters } from "@/lib/format";
import { useTRPC } from "@/lib/trpc/react";
import { formatRatio, formatSeconds } from "./health-format";
import { HealthStatements } from "./health-statements";
import { HealthIndexes, HealthTables } from "./health-storage";
import { HealthTrend } from "./health-trend";

const QUEUE_LABEL: Record<HealthQueue, string> = {
  audit: "Audit log (in memory)",
  storage_deletions: "File deletions",
  notifications: "Notifications",
  push: "Web push",
  webhooks: "Webhooks",
  link_previews: "Link previews",
  data_exports: "Data exports",
  account_deletions: "Account erasures",
};

/** A transaction open this long holds back vacuum and usually means a stuck request. */
const LONG_TRANSACTION_SECONDS = 60;

function Count({ value, format }: { value: number | null; format: Formatters }) {
  return value === null ? (
    <span className="text-muted-foreground">—</span>
  ) : (
    <>{format.number(value)}</>
  );
}

function RefreshButton() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const fetching = useIsFetching({ queryKey: trpc.admin.health.pathKey() }) > 0;
  return (
    <Button
      variant="outline"
      size="sm"
      disabled={fetching}
      aria-busy={fetching}
      onClick={() => void queryClient.invalidateQueries({ queryKey: trpc.admin.health.pathKey() })}
    >
      <RefreshCw aria-hidden="true" className={fetching ? "motion-safe:animate-spin" : undefined} />
      {fetching ? "Refreshing…" : "Refresh"}
    </Button>
  );
}

function EmbeddedNote() {
  return (
    <Card className="bg-warning-soft p-4 text-sm text-warning-text" role="note">
      <p className="font-medium">This is the embedded database (PGlite).</p>
      <p className="mt-1">
        It runs inside the server process with a single connection, so the connections below are
        that one session; autovacuum does not run, so vacuum times stay empty until someone runs
        VACUUM; and pg_stat_statements is not available. Sizes, tables, indexes, the cache and the
        queues are real. Set DATABASE_URL to a server PostgreSQL for the full picture.
      </p>
    </Card>
  );
}

function ConnectionsCard({ data }: { data: HealthOverview }) {
  const format = useFormatters();
  return (
    <Card>
      <CardHeader>
        <CardTitle>Connections by state</CardTitle>
        <CardDescription>
          Client sessions of this database, with the longest open transaction in each state.
        </CardDescription>
      </CardHeader>
      <Table label="Connections by state">
        <TableHeader>
          <TableRow>
            <TableHead>State</TableHead>
            <TableHead className="text-right">Connections</TableHead>
            <TableHead className="text-right">Longest transaction</TableHead>
            <TableHead className="text-right">Waiting on locks</TableHead>
          </TableRow>
        </TableHeader>
        <TableBody>
          {data.connections.map((c) => (
            <TableRow key={c.state}>
              <TableCell className="whitespace-nowrap">{c.state}</TableCell>
              <TableCell className="text-right tabular-nums">
                {format.number(c.connections)}
              </TableCell>
              <TableCell className="text-right whitespace-nowrap tabular-nums">
                {c.longestTransactionSeconds === null ? (
                  <span className="text-muted-foreground">—</span>
                ) : (
                  <>
                    {formatSeconds(format, c.longestTransactionSeconds)}
                    {c.longestTransactionSeconds >= LONG_TRANSACTION_SECONDS ? (
                      <Badge variant="warning" className="ml-2">
                        Long
                      </Badge>
                    ) : null}
                  </>
                )}
              </TableCell>
              <TableCell className="text-right tabular-nums">
                {format.number(c.waitingOnLocks)}
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </Card>
  );
}

function QueuesCard({ data }: { data: HealthOverview }) {
  const format = useFormatters();
  return (
    <Card>
      <CardHeader>
        <CardTitle>Queues</CardTitle>
        <CardDescription>
          Work waiting in Parley&apos;s background queues, what is being retried, what failed in the
          last 24 hours and what was set aside for a person to look at (— where a queue keeps no
          such figure).
        </CardDescription>
      </CardHeader>
      <Table label="Queues">
        <TableHeader>
          <TableRow>
            <TableHead>Queue</TableHead>
            <TableHead className="text-right">Pending</TableHead>
            <TableHead className="text-right">Retrying</TableHead>
            <TableHead className="text-right">Failed (24 h)</TableHead>
            <TableHead className="text-right">Set aside</TableHead>
            <TableHead>Oldest pending</TableHead>
          </TableRow>
        </TableHeader>
        <TableBody>
          {data.queues.map((q) => (
            <TableRow key={q.queue}>
              <TableCell className="whitespace-nowrap">{QUEUE_LABEL[q.queue]}</TableCell>
              <TableCell className="text-right tabular-nums">
                <Count value={q.pending} format={format} />
              </TableCell>
              <TableCell className="text-right tabular-nums">
                <Count value={q.retrying} format={format} />
              </TableCell>
              <TableCell className="text-right tabular-nums">
                <Count value={q.failedLastDay} format={format} />
              </TableCell>
              <TableCell className="text-right tabular-nums">
                <Count value={q.setAside} format={format} />
              </TableCell>
              <TableCell className="whitespace-nowrap">
                {q.oldestPendingAt ? (
                  <RelativeTime value={q.oldestPendingAt} />
                ) : (
                  <span className="text-muted-foreground">—</span>
                )}
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </Card>
  );
}

/** /admin/health: the database, its connections and tables, the app's queues and realtime. */
export function HealthView() {
  const trpc = useTRPC();
  const format = useFormatters();
  const { data } = useSuspenseQuery(trpc.admin.health.overview.queryOptions());
  const { database, realtime } = data;
  const connections = data.connections.reduce((n, c) => n + c.connections, 0);
  const idleInTransaction = data.connections
    .filter((c) => c.state.startsWith("idle in transaction"))
    .reduce((n, c) => n + c.connections, 0);

  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <p className="text-sm text-muted-foreground" aria-live="polite">
          Checked {format.time(data.checkedAt)} · PostgreSQL {database.serverVersion}
        </p>
        <RefreshButton />
      </div>

      {database.embedded ? <EmbeddedNote /> : null}

      <StatGrid>
        <StatCard
          testId="health-database-size"
          label="Database size"
          icon={<Database aria-hidden="true" />}
          value={formatBytes(format, database.databaseBytes)}
          hint={
            database.statsResetAt ? (
              <>
                Statistics since <RelativeTime value={database.statsResetAt} />
              </>
            ) : (
              `${format.number(database.deadlocks)} deadlocks, ${formatBytes(format, database.tempBytes)} in temporary files`
            )
          }
        />
        <StatCard
          testId="health-connections"
          label="Connections"
          icon={<Activity aria-hidden="true" />}
          value={`${format.number(connections)} / ${format.number(database.maxConnections)}`}
          hint={`${format.number(idleInTransaction)} idle in a transaction`}
        />
        <StatCard
          testId="health-cache-hit"
          label="Cache hit ratio"
          icon={<Gauge aria-hidden="true" />}
          value={formatRatio(format, database.cacheHitRatio)}
          hint={`${format.number(database.blocksRead)} blocks read from disk`}
        />
        <StatCard
          testId="health-realtime"
          label="Realtime"
          icon={<RadioTower aria-hidden="true" />}
          value={
            realtime.source === "gateway"
              ? `${format.number(realtime.connections)} connected`
              : realtime.source === "supabase"
                ? "Supabase"
                : "—"
          }
          hint={
            realtime.source === "gateway"
              ? `${format.number(realtime.channels)} channels on ${format.number(realtime.topics)} topics`
              : realtime.source === "supabase"
                ? "Hosted: see Supabase's dashboard"
                : "No gateway reports to this page"
          }
        />
      </StatGrid>

      <HealthTrend realtime={realtime} />

      <div className="grid grid-cols-1 gap-6 2xl:grid-cols-2">
        <ConnectionsCard data={data} />
        <QueuesCard data={data} />
      </div>

      <HealthTables embedded={database.embedded} />
      <HealthIndexes />
      <HealthStatements embedded={database.embedded} />
    </div>
  );
}
