"use client";

import { useSuspenseQuery } from "@tanstack/react-query";
import { Card, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Progress } from "@/components/ui/progress";
import { useFormatters } from "@/lib/format";
import { formatBytes } from "@/lib/format-bytes";
import { useTRPC } from "@/lib/trpc/react";

/** The room the files you shared take, against your quota and what a day allows. */
export function StorageUsage() {
  const trpc = useTRPC();
  const format = useFormatters();
  const { data } = useSuspenseQuery(trpc.me.storage.queryOptions());
  const rows = [
    { label: "Files you shared", used: data.usedBytes, of: data.quotaBytes },
    { label: "Uploaded in the last 24 hours", used: data.uploadedTodayBytes, of: data.dailyBytes },
  ];
  return (
    <Card>
      <CardHeader>
        <CardTitle>Storage</CardTitle>
        <CardDescription>
          Files you attach count here until the messages carrying them are deleted.
        </CardDescription>
      </CardHeader>
      <dl className="max-w-md space-y-4">
        {rows.map((row) => (
          <div key={row.label} className="grid grid-cols-[1fr_auto] gap-x-4 gap-y-1.5 text-sm">
            <dt className="font-medium">{row.label}</dt>
            <dd className="text-muted-foreground tabular-nums" data-testid="storage-figure">
              {formatBytes(format, row.used)} of {formatBytes(format, row.of)}
            </dd>
            <dd className="col-span-2">
              <Progress value={(row.used / row.of) * 100} label={row.label} />
            </dd>
          </div>
        ))}
      </dl>
    </Card>
  );
}
