"use client";

import { Info } from "lucide-react";
import type { ReactNode } from "react";
import { Button } from "@/components/ui/button";
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogHeader,
  DialogTitle,
  DialogTrigger,
} from "@/components/ui/dialog";
import { useFormatters } from "@/lib/format";
import type { AuditViewRow } from "@/contracts/audit";
import { maskedKey } from "@/components/api-keys/key-status";
import { auditAction } from "./audit-action";
import { StatusBadge } from "./status-badge";
import { Tooltip } from "@/components/ui/tooltip";
import { RowActionLabel } from "@/components/ui/row-action-label";

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="grid grid-cols-3 gap-2 py-2">
      <dt className="text-muted-foreground">{label}</dt>
      <dd className="col-span-2 min-w-0 break-words">{children}</dd>
    </div>
  );
}

/** Everything recorded about one request. */
export function AuditDetailsDialog({ row }: { row: AuditViewRow }) {
  const format = useFormatters();
  const { primary } = auditAction(row);
  const none = <span className="text-muted-foreground">–</span>;
  return (
    <Dialog>
      <Tooltip content="Details">
        <DialogTrigger asChild>
          <Button variant="ghost" size="sm">
            <Info aria-hidden="true" />
            <RowActionLabel label="Details" detail={`of ${primary}`} />
          </Button>
        </DialogTrigger>
      </Tooltip>
      <DialogContent className="max-w-xl">
        <DialogHeader>
          <DialogTitle className="break-all">
            {row.method} {row.endpoint}
          </DialogTitle>
          <DialogDescription>{format.dateTime(row.createdAt)}</DialogDescription>
        </DialogHeader>
        <dl className="divide-y divide-border text-sm">
          <Row label="Status">
            <StatusBadge code={row.statusCode} />
          </Row>
          <Row label="Latency">
            {row.responseTime === null ? none : `${format.number(row.responseTime)} ms`}
          </Row>
          <Row label="User">
            {row.userName ?? row.userId ?? none}
            {row.userEmail ? (
              <span className="block text-xs text-muted-foreground">{row.userEmail}</span>
            ) : null}
          </Row>
          <Row label="Done by">
            {row.actorId && row.actorId !== row.userId ? (
              <span className="font-mono text-xs">{row.actorId}</span>
            ) : row.actorId ? (
              "The user"
            ) : (
              none
            )}
          </Row>
          <Row label="API key">
            {row.keyPrefix ? (
              <>
                {row.keyName} <code className="font-mono text-xs">{maskedKey(row.keyPrefix)}</code>
              </>
            ) : (
              (row.apiKeyId ?? none)
            )}
          </Row>
          <Row label="IP address">{row.ipAddress ?? none}</Row>
          <Row label="User agent">{row.userAgent ?? none}</Row>
          <Row label="Request id">
            <span className="font-mono text-xs">{row.id}</span>
          </Row>
        </dl>
        {row.details ? (
          <div className="mt-4 space-y-1.5">
            <h3 className="text-sm font-medium">Details</h3>
            <pre className="max-h-64 overflow-auto rounded-md bg-muted p-3 font-mono text-xs">
              {JSON.stringify(row.details, null, 2)}
            </pre>
          </div>
        ) : null}
      </DialogContent>
    </Dialog>
  );
}
