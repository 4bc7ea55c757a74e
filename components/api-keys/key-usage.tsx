"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { BarChart3 } from "lucide-react";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { StackedBarChart, TrendLineChart } from "@/components/ui/chart";
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogHeader,
  DialogTitle,
} from "@/components/ui/dialog";
import { ErrorState } from "@/components/ui/error-state";
import { Skeleton } from "@/components/ui/skeleton";
import { useFormatters } from "@/lib/format";
import { errorMessage } from "@/lib/forms";
import { useTRPC } from "@/lib/trpc/react";
import type { ApiKey } from "@/contracts/api-keys";
import { maskedKey } from "./key-status";
import { lastDays, USAGE_DAYS, type UsageRange } from "./usage-range";
import { Tooltip } from "@/components/ui/tooltip";
import { RowActionLabel } from "@/components/ui/row-action-label";

/** The usage query for one key over `range`: the dialog's, and the one started ahead of it. */
function usageQuery(trpc: ReturnType<typeof useTRPC>, id: string, range: UsageRange) {
  return trpc.apiKeys.usage.queryOptions({ id, from: range.from, to: range.to });
}

function UsageBody({ apiKey }: { apiKey: ApiKey }) {
  const trpc = useTRPC();
  const format = useFormatters();
  // Fixed when the view opens (a view left open past midnight keeps its days).
  const [range] = useState(() => lastDays());
  const usage = useQuery(usageQuery(trpc, apiKey.id, range));

  if (usage.isPending) {
    return (
      <div className="space-y-4" aria-busy="true">
        <span className="sr-only">Loading usage…</span>
        <div className="grid grid-cols-2 gap-3 sm:grid-cols-4">
          {Array.from({ length: 4 }, (_, i) => (
            <Skeleton key={i} className="h-16" />
          ))}
        </div>
        <Skeleton className="h-56" />
        <Skeleton className="h-56" />
      </div>
    );
  }
  if (usage.isError) {
    return <ErrorState message={errorMessage(usage.error)} onRetry={() => void usage.refetch()} />;
  }

  const byDay = new Map(usage.data.days.map((d) => [d.day, d]));
  const requests = range.days.map((day) => {
    const d = byDay.get(day);
    return {
      label: format.day(day),
      success: d?.success ?? 0,
      clientErrors: d?.clientErrors ?? 0,
      serverErrors: d?.serverErrors ?? 0,
    };
  });
  const latency = range.days.map((day) => ({
    label: format.day(day),
    p95: Math.round(byDay.get(day)?.p95 ?? 0),
  }));
  const { totals } = usage.data;
  const ms = (value: number | null) =>
    value === null ? "–" : `${format.number(Math.round(value))} ms`;
  const stats = [
    { label: "Requests", value: format.number(totals.requests) },
    {
      label: "Errors",
      value: format.number(totals.clientErrors + totals.serverErrors),
    },
    { label: "p50 latency", value: ms(totals.p50) },
    { label: "p95 latency", value: ms(totals.p95) },
  ];

  return (
    <div className="space-y-6">
      <dl className="grid grid-cols-2 gap-3 sm:grid-cols-4">
        {stats.map((s) => (
          <div key={s.label} className="rounded-lg border border-border p-3">
            <dt className="text-xs text-muted-foreground">{s.label}</dt>
            <dd className="text-lg font-semibold tabular-nums">{s.value}</dd>
          </div>
        ))}
      </dl>
      {totals.requests === 0 ? (
        <p className="rounded-lg border border-dashed border-border px-4 py-6 text-center text-sm text-muted-foreground">
          No requests with this key in the last {USAGE_DAYS} days.
        </p>
      ) : (
        <>
          <section className="space-y-2">
            <h3 className="text-sm font-medium">Requests per day</h3>
            <StackedBarChart
              title={`Requests per day with ${apiKey.name}, by status`}
              data={requests}
              series={[
                { key: "success", label: "Success", color: "var(--chart-2)" },
                { key: "clientErrors", label: "Client errors (4xx)", color: "var(--chart-3)" },
                { key: "serverErrors", label: "Server errors (5xx)", color: "var(--chart-4)" },
              ]}
              height={200}
            />
          </section>
          <section className="space-y-2">
            <h3 className="text-sm font-medium">p95 latency per day</h3>
            <TrendLineChart
              title={`p95 latency per day with ${apiKey.name}, in milliseconds`}
              data={latency}
              series={[{ key: "p95", label: "p95 (ms)", color: "var(--chart-1)" }]}
              height={200}
              valueFormatter={(value) => `${format.number(value)} ms`}
            />
          </section>
        </>
      )}
    </div>
  );
}

/** A key's requests and latency over the last 30 days. */
export function KeyUsageDialog({ apiKey }: { apiKey: ApiKey }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  // The usage is asked for as the pointer or the keyboard reaches the button, so the dialog
  // usually opens on the numbers rather than on the skeleton. An answer already there and
  // fresh is not asked for again.
  const prefetch = () => void queryClient.prefetchQuery(usageQuery(trpc, apiKey.id, lastDays()));
  return (
    <Dialog open={open} onOpenChange={setOpen}>
      <Tooltip content="Usage">
        <Button
          variant="ghost"
          size="sm"
          onPointerEnter={prefetch}
          onFocus={prefetch}
          onClick={() => setOpen(true)}
        >
          <BarChart3 aria-hidden="true" />
          <RowActionLabel label="Usage" detail={`of ${apiKey.name}`} />
        </Button>
      </Tooltip>
      <DialogContent className="max-w-3xl">
        <DialogHeader>
          <DialogTitle>Usage of “{apiKey.name}”</DialogTitle>
          <DialogDescription>
            {maskedKey(apiKey.prefix)} · REST requests in the last {USAGE_DAYS} days (UTC)
          </DialogDescription>
        </DialogHeader>
        {open ? <UsageBody apiKey={apiKey} /> : null}
      </DialogContent>
    </Dialog>
  );
}
