"use client";

import { maskedKey } from "@/components/api-keys/key-status";
import { Badge } from "@/components/ui/badge";
import { Skeleton } from "@/components/ui/skeleton";
import {
  Table,
  TableBody,
  TableCaption,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
} from "@/components/ui/table";
import { useFormatters } from "@/lib/format";
import type { AuditViewRow } from "@/contracts/audit";
import { auditAction } from "./audit-action";
import { AuditDetailsDialog } from "./audit-details-dialog";
import type { AuditScope } from "./audit-search";
import { StatusBadge } from "./status-badge";
import { EndpointText } from "./endpoint-text";

/** Audit rows, newest first; admins also see whose row it is. */
export function AuditTable({ rows, scope }: { rows: AuditViewRow[]; scope: AuditScope }) {
  const format = useFormatters();
  return (
    <Table label="Audit log">
      <TableCaption>{scope === "admin" ? "Audit log of all users" : "Your audit log"}</TableCaption>
      <TableHeader>
        <TableRow>
          <TableHead>Time</TableHead>
          {scope === "admin" ? <TableHead>User</TableHead> : null}
          <TableHead>Method</TableHead>
          <TableHead>Endpoint</TableHead>
          <TableHead>Status</TableHead>
          <TableHead>Key</TableHead>
          <TableHead className="text-right">Latency</TableHead>
          <TableHead>IP</TableHead>
          <TableHead>
            <span className="sr-only">Details</span>
          </TableHead>
        </TableRow>
      </TableHeader>
      <TableBody>
        {rows.map((row) => {
          const action = auditAction(row);
          return (
            <TableRow key={row.id} data-testid="audit-row">
              <TableCell>
                {/* Date over time: the column stays narrow enough for the rest of the row. */}
                <time dateTime={row.createdAt.toISOString()} className="tabular-nums">
                  <span className="block whitespace-nowrap">{format.date(row.createdAt)}</span>
                  <span className="block text-xs whitespace-nowrap text-muted-foreground">
                    {format.time(row.createdAt)}
                  </span>
                </time>
              </TableCell>
              {scope === "admin" ? (
                <TableCell>
                  <span className="block whitespace-nowrap">{row.userName ?? "–"}</span>
                  {row.userEmail ? (
                    <span className="block text-xs text-muted-foreground">{row.userEmail}</span>
                  ) : null}
                </TableCell>
              ) : null}
              <TableCell>
                <Badge variant="outline" className="font-mono">
                  {row.method}
                </Badge>
              </TableCell>
              <TableCell className="max-w-80 min-w-36">
                <span className="block font-mono text-xs">
                  <EndpointText value={action.primary} />
                </span>
                {action.secondary ? (
                  <span className="block font-mono text-xs text-muted-foreground">
                    <EndpointText value={action.secondary} />
                  </span>
                ) : null}
              </TableCell>
              <TableCell>
                <StatusBadge code={row.statusCode} />
                {row.requestCount > 1 ? (
                  <span
                    className="ml-1 text-xs whitespace-nowrap text-muted-foreground"
                    title={`${row.requestCount} requests without a valid key, counted in one row`}
                  >
                    × {row.requestCount}
                  </span>
                ) : null}
              </TableCell>
              <TableCell>
                {row.keyPrefix ? (
                  <span className="block max-w-48 min-w-28">
                    {row.keyName}
                    <code className="block font-mono text-xs whitespace-nowrap text-muted-foreground">
                      {maskedKey(row.keyPrefix)}
                    </code>
                  </span>
                ) : (
                  <span className="text-muted-foreground">
                    {row.apiKeyId ? "Deleted key" : "App"}
                  </span>
                )}
              </TableCell>
              <TableCell className="text-right whitespace-nowrap tabular-nums">
                {row.responseTime === null ? "–" : `${format.number(row.responseTime)} ms`}
              </TableCell>
              <TableCell className="font-mono text-xs whitespace-nowrap">
                {row.ipAddress ?? "–"}
              </TableCell>
              <TableCell>
                <AuditDetailsDialog row={row} />
              </TableCell>
            </TableRow>
          );
        })}
      </TableBody>
    </Table>
  );
}

export function AuditTableSkeleton() {
  return (
    <div className="overflow-hidden rounded-lg border border-border" aria-hidden="true">
      <div className="h-10 bg-muted/60" />
      <div className="divide-y divide-border">
        {Array.from({ length: 8 }, (_, i) => (
          <div key={i} className="flex items-center gap-4 px-3 py-3">
            <Skeleton className="h-4 w-32" />
            <Skeleton className="h-5 w-12 rounded-full" />
            <Skeleton className="h-4 w-48" />
            <Skeleton className="h-5 w-10 rounded-full" />
            <Skeleton className="ml-auto h-4 w-16" />
          </div>
        ))}
      </div>
    </div>
  );
}
