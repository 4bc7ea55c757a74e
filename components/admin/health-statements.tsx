"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Card, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Skeleton } from "@/components/ui/skeleton";
import {
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
} from "@/components/ui/table";
import { HEALTH_LIST_LIMIT, type StatementOrder } from "@/contracts/admin-health";
import { useFormatters } from "@/lib/format";
import { useTRPC } from "@/lib/trpc/react";
import { formatRatio } from "./health-format";

const ORDERS: { order: StatementOrder; label: string }[] = [
  { order: "total", label: "Total time" },
  { order: "mean", label: "Time per call" },
];

function Code({ children }: { children: string }) {
  return <code className="rounded bg-muted px-1 py-0.5 font-mono text-xs">{children}</code>;
}

/** How to turn pg_stat_statements on, from the step the server is missing. */
function InstallSteps({ loaded }: { loaded: boolean }) {
  return (
    <ol className="list-decimal space-y-2 pl-5 text-sm">
      {loaded ? null : (
        <>
          <li>
            In <Code>postgresql.conf</Code>, add the library:{" "}
            <Code>{"shared_preload_libraries = 'pg_stat_statements'"}</Code>
          </li>
          <li>Restart PostgreSQL (a reload is not enough for a preloaded library).</li>
        </>
      )}
      <li>
        In Parley&apos;s database, as its owner: <Code>create extension pg_stat_statements;</Code>
      </li>
    </ol>
  );
}

/** The statements that cost the database most, from pg_stat_statements when it is there. */
export function HealthStatements({ embedded }: { embedded: boolean }) {
  const trpc = useTRPC();
  const format = useFormatters();
  const [order, setOrder] = useState<StatementOrder>("total");
  const { data } = useQuery({
    ...trpc.admin.health.statements.queryOptions({ order, limit: HEALTH_LIST_LIMIT }),
    placeholderData: keepPreviousData,
  });

  let body;
  if (!data) {
    body = <Skeleton className="h-40 w-full" />;
  } else if (data.status === "unavailable") {
    body = embedded ? (
      <p className="text-sm text-muted-foreground">
        Not available on the embedded database (PGlite). Run Parley on a server PostgreSQL
        (DATABASE_URL) to see its slowest statements.
      </p>
    ) : (
      <div className="space-y-3 text-sm">
        <p className="text-muted-foreground">
          This PostgreSQL server has no pg_stat_statements: install its contrib package (it ships
          with PostgreSQL on most systems), then:
        </p>
        <InstallSteps loaded={false} />
      </div>
    );
  } else if (data.status === "not_installed") {
    body = (
      <div className="space-y-3 text-sm">
        <p className="text-muted-foreground">
          pg_stat_statements is not installed in this database. To see the slowest statements:
        </p>
        <InstallSteps loaded={false} />
      </div>
    );
  } else if (data.status === "not_loaded") {
    body = (
      <div className="space-y-3 text-sm">
        <p className="text-muted-foreground">
          The extension exists in this database, but PostgreSQL did not load its library at start,
          so it has nothing to show:
        </p>
        <InstallSteps loaded={false} />
      </div>
    );
  } else if (data.statements.length === 0) {
    body = <p className="text-sm text-muted-foreground">No statements recorded yet.</p>;
  } else {
    body = (
      <Table label="Slowest statements">
        <TableHeader>
          <TableRow>
            <TableHead>Statement</TableHead>
            <TableHead className="text-right">Calls</TableHead>
            <TableHead className="text-right">Total</TableHead>
            <TableHead className="text-right">Per call</TableHead>
            <TableHead className="text-right">Rows</TableHead>
            <TableHead className="text-right">Cache hits</TableHead>
          </TableRow>
        </TableHeader>
        <TableBody>
          {data.statements.map((s, index) => (
            <TableRow key={index}>
              <TableCell className="max-w-xl font-mono text-xs break-all">{s.query}</TableCell>
              <TableCell className="text-right tabular-nums">{format.number(s.calls)}</TableCell>
              <TableCell className="text-right whitespace-nowrap tabular-nums">
                {format.number(s.totalMs, { maximumFractionDigits: 0 })} ms
              </TableCell>
              <TableCell className="text-right whitespace-nowrap tabular-nums">
                {format.number(s.meanMs, { maximumFractionDigits: 2 })} ms
              </TableCell>
              <TableCell className="text-right tabular-nums">{format.number(s.rows)}</TableCell>
              <TableCell className="text-right tabular-nums">
                {formatRatio(format, s.cacheHitRatio)}
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    );
  }

  return (
    <Card>
      <CardHeader className="flex flex-wrap items-start justify-between gap-3 space-y-0">
        <div className="space-y-1">
          <CardTitle>Slowest statements</CardTitle>
          <CardDescription>
            From pg_stat_statements, normalized: values show as $1, $2… Queries and changes only.
          </CardDescription>
        </div>
        {data?.status === "ok" ? (
          <div role="group" aria-label="Order statements by" className="flex gap-1">
            {ORDERS.map((o) => (
              <Button
                key={o.order}
                size="sm"
                variant={order === o.order ? "secondary" : "ghost"}
                aria-pressed={order === o.order}
                onClick={() => setOrder(o.order)}
              >
                {o.label}
              </Button>
            ))}
          </div>
        ) : null}
      </CardHeader>
      {body}
    </Card>
  );
}
