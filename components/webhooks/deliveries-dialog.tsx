"use client";

import { useQueryClient } from "@tanstack/react-query";
import { History } from "lucide-react";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogHeader,
  DialogTitle,
} from "@/components/ui/dialog";
import { ErrorState } from "@/components/ui/error-state";
import { LoadMoreButton } from "@/components/ui/load-more-button";
import { RowActionLabel } from "@/components/ui/row-action-label";
import { Skeleton } from "@/components/ui/skeleton";
import { Tooltip } from "@/components/ui/tooltip";
import { errorMessage } from "@/lib/forms";
import { useTRPC } from "@/lib/trpc/react";
import type { WebhookEndpoint } from "@/contracts/webhooks";
import { DeliveryItem } from "./delivery-item";
import { SendTestButton } from "./send-test-button";
import { useDeliveries } from "./use-deliveries";

/** An endpoint's delivery log, newest first, kept current while deliveries are pending. */
export function DeliveriesDialog({ endpoint }: { endpoint: WebhookEndpoint }) {
  const [open, setOpen] = useState(false);
  const trpc = useTRPC();
  const queryClient = useQueryClient();

  function onOpenChange(next: boolean) {
    setOpen(next);
    // What was delivered meanwhile moved the endpoint's last success or failure.
    if (!next) void queryClient.invalidateQueries({ queryKey: trpc.webhooks.list.pathKey() });
  }

  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <Tooltip content="Deliveries">
        <Button variant="outline" size="sm" onClick={() => setOpen(true)}>
          <History aria-hidden="true" />
          <RowActionLabel label="Deliveries" detail={endpoint.url} />
        </Button>
      </Tooltip>
      <DialogContent className="max-w-2xl">
        <DialogHeader>
          <DialogTitle>Deliveries</DialogTitle>
          <DialogDescription className="break-all">{endpoint.url}</DialogDescription>
        </DialogHeader>
        <div className="mb-4 flex flex-wrap items-center gap-2">
          <SendTestButton endpoint={endpoint} />
        </div>
        {open ? <DeliveryLog endpointId={endpoint.id} /> : null}
      </DialogContent>
    </Dialog>
  );
}

function DeliveryLog({ endpointId }: { endpointId: string }) {
  const { query, deliveries } = useDeliveries(endpointId);
  if (query.isError && !deliveries) {
    return <ErrorState message={errorMessage(query.error)} onRetry={() => void query.refetch()} />;
  }
  if (!deliveries) {
    return (
      <div className="space-y-2" aria-busy="true">
        <span className="sr-only">Loading deliveries…</span>
        <Skeleton className="h-16" />
        <Skeleton className="h-16" />
      </div>
    );
  }
  if (deliveries.length === 0) {
    return (
      <p className="rounded-lg border border-dashed border-border px-4 py-6 text-center text-sm text-muted-foreground">
        No deliveries yet. Send a test event, or wait for one of the endpoint&apos;s events.
      </p>
    );
  }
  return (
    <div className="space-y-2">
      <ul
        aria-label="Deliveries"
        className="divide-y divide-border rounded-lg border border-border"
      >
        {deliveries.map((delivery) => (
          <DeliveryItem key={delivery.id} delivery={delivery} />
        ))}
      </ul>
      <LoadMoreButton query={query} label="Load older" />
    </div>
  );
}
