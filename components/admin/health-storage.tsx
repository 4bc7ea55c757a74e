"use client";

import { keepPreviousData, useQuery, useSuspenseQuery } from "@tanstack/react-query";
import { useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { RelativeTime } from "@/components/ui/relative-time";
import { Skeleton } from "@/components/ui/skeleton";
import {
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
} from "@/components/ui/table";
import { HEALTH_LIST_LIMIT } from "@/contracts/admin-health";
import { formatBytes } from "@/lib/format-bytes";
import { useFormatters } from "@/lib/format";
import { useTRPC } from "@/lib/trpc/react";

function Moment({ value }: { value: Date | null }) {
  return value ? <RelativeTime value={value} /> : <span className="text-muted-foreground">—</span>;
}

/** The newer of a manual and an automatic run, and which it was. */
function latest(manual: Date | null, auto: Date | null): { at: Date | null; auto: boolean } {
  if (manual && (!auto || manual >= auto)) return { at: manual, auto: false };
  return { at: auto, auto: auto !== null };
}

/**
 * The largest tables: where the space goes, how many dead rows wait for a vacuum, and when
 * vacuum and analyze last ran.
 */
export function HealthTables({ embedded }: { embedded: boolean }) {
  const trpc = useTRPC();
  const format = useFormatters();
  const { data } = useSuspenseQuery(
    trpc.admin.health.tables.queryOptions({ limit: HEALTH_LIST_LIMIT }),
  );
  return (
    <Card>
      <CardHeader>
        <CardTitle>Largest tables</CardTitle>
        <CardDescription>
          Size with indexes, live and dead rows, and the last vacuum and analyze
          {embedded ? " (autovacuum does not run on the embedded database)" : ""}.
        </CardDescription>
      </CardHeader>
      <Table label="Largest tables">
        <TableHeader>
          <TableRow>
            <TableHead>Table</TableHead>
            <TableHead className="text-right">Total</TableHead>
            <TableHead className="text-right">Table</TableHead>
            <TableHead className="text-right">Indexes</TableHead>
            <TableHead className="text-right">Live rows</TableHead>
            <TableHead className="text-right">Dead rows</TableHead>
            <TableHead>Last vacuum</TableHead>
            <TableHead>Last analyze</TableHead>
          </TableRow>
        </TableHeader>
        <TableBody>
          {data.map((t) => {
            const vacuum = latest(t.lastVacuum, t.lastAutovacuum);
            const analyze = latest(t.lastAnalyze, t.lastAutoanalyze);
            const deadShare =
              t.liveRows + t.deadRows > 0 ? t.deadRows / (t.liveRows + t.deadRows) : 0;
            return (
              <TableRow key={`${t.schema}.${t.name}`}>
                <TableCell className="font-mono text-xs">
                  {t.schema === "public" ? t.name : `${t.schema}.${t.name}`}
                </TableCell>
                <TableCell className="text-right whitespace-nowrap tabular-nums">
                  {formatBytes(format, t.totalBytes)}
                </TableCell>
                <TableCell className="text-right whitespace-nowrap tabular-nums">
                  {formatBytes(format, t.tableBytes)}
                </TableCell>
                <TableCell className="text-right whitespace-nowrap tabular-nums">
                  {formatBytes(format, t.indexBytes)}
                </TableCell>
                <TableCell className="text-right tabular-nums">
                  {format.number(t.liveRows)}
                </TableCell>
                <TableCell className="text-right tabular-nums">
                  {format.number(t.deadRows)}
                  {deadShare >= 0.2 && t.deadRows >= 1000 ? (
                    <Badge variant="warning" className="ml-2">
                      {format.percent(deadShare)}
                    </Badge>
                  ) : null}
                </TableCell>
                <TableCell className="whitespace-nowrap">
                  <Moment value={vacuum.at} />
                  {vacuum.auto ? <span className="text-muted-foreground"> (auto)</span> : null}
                </TableCell>
                <TableCell className="whitespace-nowrap">
                  <Moment value={analyze.at} />
                  {analyze.auto ? <span className="text-muted-foreground"> (auto)</span> : null}
                </TableCell>
              </TableRow>
            );
          })}
        </TableBody>
      </Table>
    </Card>
  );
}

/**
 * Indexes by size with their scans; "unused only" keeps those never scanned that enforce
 * nothing, the candidates to drop (after a while of normal traffic since the last reset).
 */
export function HealthIndexes() {
  const trpc = useTRPC();
  const format = useFormatters();
  const [unusedOnly, setUnusedOnly] = useState(false);
  const { data } = useQuery({
    ...trpc.admin.health.indexes.queryOptions({ limit: HEALTH_LIST_LIMIT, unusedOnly }),
    placeholderData: keepPreviousData,
  });
  return (
    <Card>
      <CardHeader className="flex flex-wrap items-start justify-between gap-3 space-y-0">
        <div className="space-y-1">
          <CardTitle>Indexes</CardTitle>
          <CardDescription>
            Scans since the statistics were reset. Unused: never scanned and enforcing no unique or
            primary key.
          </CardDescription>
        </div>
        <div role="group" aria-label="Which indexes" className="flex gap-1">
          <Button
            size="sm"
            variant={unusedOnly ? "ghost" : "secondary"}
            aria-pressed={!unusedOnly}
            onClick={() => setUnusedOnly(false)}
          >
            Largest
          </Button>
          <Button
            size="sm"
            variant={unusedOnly ? "secondary" : "ghost"}
            aria-pressed={unusedOnly}
            onClick={() => setUnusedOnly(true)}
          >
            Unused only
          </Button>
        </div>
      </CardHeader>
      {!data ? (
        <Skeleton className="h-40 w-full" />
      ) : data.length === 0 ? (
        <p className="text-sm text-muted-foreground">
          {unusedOnly ? "Every index has been used." : "No indexes."}
        </p>
      ) : (
        <Table label={unusedOnly ? "Unused indexes" : "Largest indexes"}>
          <TableHeader>
            <TableRow>
              <TableHead>Index</TableHead>
              <TableHead>Table</TableHead>
              <TableHead className="text-right">Size</TableHead>
              <TableHead className="text-right">Scans</TableHead>
              <TableHead>
                <span className="sr-only">Notes</span>
              </TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {data.map((i) => (
              <TableRow key={`${i.schema}.${i.name}`}>
                <TableCell className="font-mono text-xs break-all">{i.name}</TableCell>
                <TableCell className="font-mono text-xs">
                  {i.schema === "public" ? i.table : `${i.schema}.${i.table}`}
                </TableCell>
                <TableCell className="text-right whitespace-nowrap tabular-nums">
                  {formatBytes(format, i.bytes)}
                </TableCell>
                <TableCell className="text-right tabular-nums">{format.number(i.scans)}</TableCell>
                <TableCell className="whitespace-nowrap">
                  {i.unused ? <Badge variant="warning">Unused</Badge> : null}
                  {i.unique ? <Badge variant="muted">Unique</Badge> : null}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </Card>
  );
}
