"use client";

import { useSuspenseQuery } from "@tanstack/react-query";
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
import { DEAD_LETTERS_SHOWN } from "@/contracts/dead-letters";
import type { DeadLetterQueue } from "@/contracts/enums";
import { useFormatters } from "@/lib/format";
import { useTRPC } from "@/lib/trpc/react";

const QUEUE_LABEL: Record<DeadLetterQueue, string> = {
  audit: "Audit log",
  storage_deletions: "File deletion",
  notifications: "Notification",
  push: "Web push",
  data_exports: "Data export",
  account_deletions: "Account deletion",
};

/**
 * Work Parley's queues gave up on — an audit row the database refused, a file that could not
 * be deleted — newest first: each item stopped blocking the work behind it and waits for a
 * person to look at its error.
 */
export function DeadLettersCard() {
  const trpc = useTRPC();
  const format = useFormatters();
  const { data } = useSuspenseQuery(
    trpc.admin.deadLetters.list.queryOptions({ limit: DEAD_LETTERS_SHOWN }),
  );
  return (
    <Card>
      <CardHeader>
        <CardTitle>Set aside</CardTitle>
        <CardDescription>
          {data.total === 0
            ? "No queued work has been set aside."
            : `${format.number(data.total)} item${data.total === 1 ? "" : "s"} of queued work Parley gave up on, newest first.`}
        </CardDescription>
      </CardHeader>
      {data.items.length > 0 ? (
        <Table label="Work set aside">
          <TableHeader>
            <TableRow>
              <TableHead>When</TableHead>
              <TableHead>Queue</TableHead>
              <TableHead>What</TableHead>
              <TableHead>Error</TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {data.items.map((item) => (
              <TableRow key={item.id}>
                <TableCell className="whitespace-nowrap">
                  <RelativeTime value={item.createdAt} />
                </TableCell>
                <TableCell className="whitespace-nowrap">{QUEUE_LABEL[item.queue]}</TableCell>
                <TableCell className="font-mono text-xs break-all">{item.summary}</TableCell>
                <TableCell className="text-xs break-words text-muted-foreground">
                  {item.error}
                  {item.attempts > 1 ? ` (after ${item.attempts} attempts)` : ""}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      ) : null}
    </Card>
  );
}
