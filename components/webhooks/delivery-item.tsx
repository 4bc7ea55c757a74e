"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { RotateCcw } from "lucide-react";
import { Timestamp } from "@/components/api-keys/timestamp";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { toast } from "@/components/ui/toaster";
import { errorMessage } from "@/lib/forms";
import { useTRPC } from "@/lib/trpc/react";
import type { WebhookDelivery } from "@/contracts/webhooks";
import { canRedeliver, deliveryStatus, eventLabel } from "./webhook-labels";

/** One delivery: what was sent, how it went, and "Redeliver" when it did not arrive. */
export function DeliveryItem({ delivery }: { delivery: WebhookDelivery }) {
  const status = deliveryStatus(delivery);
  return (
    <li
      className="space-y-2 px-3 py-3"
      data-testid="webhook-delivery"
      data-status={delivery.status}
      data-event-type={delivery.eventType}
    >
      <div className="flex flex-wrap items-center gap-x-3 gap-y-1">
        <span className="font-medium">{eventLabel(delivery.eventType)}</span>
        <code className="font-mono text-xs text-muted-foreground">{delivery.eventType}</code>
        <Badge variant={status.variant}>{status.label}</Badge>
        <span className="ml-auto text-xs text-muted-foreground">
          <Timestamp value={delivery.occurredAt} />
        </span>
      </div>
      <dl className="grid grid-cols-2 gap-x-4 gap-y-1 text-xs sm:grid-cols-4">
        <div>
          <dt className="text-muted-foreground">Attempts</dt>
          <dd>{delivery.attempts}</dd>
        </div>
        <div>
          <dt className="text-muted-foreground">Response</dt>
          <dd data-testid="webhook-delivery-response">{delivery.responseStatus ?? "None"}</dd>
        </div>
        <div>
          <dt className="text-muted-foreground">Last attempt</dt>
          <dd>
            <Timestamp value={delivery.lastAttemptAt} fallback="Not yet" />
          </dd>
        </div>
        {delivery.status === "pending" && delivery.attempts > 0 ? (
          <div>
            <dt className="text-muted-foreground">Next attempt</dt>
            <dd>
              <Timestamp value={delivery.nextAttemptAt} />
            </dd>
          </div>
        ) : null}
      </dl>
      {delivery.lastError ? (
        <p className="text-xs break-words text-destructive-text">
          <span className="font-medium">Last error:</span> {delivery.lastError}
        </p>
      ) : null}
      {canRedeliver(delivery) ? <RedeliverButton delivery={delivery} /> : null}
    </li>
  );
}

function RedeliverButton({ delivery }: { delivery: WebhookDelivery }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const redeliver = useMutation(trpc.webhooks.redeliver.mutationOptions());

  async function send() {
    try {
      await redeliver.mutateAsync({ id: delivery.id });
      toast.success("Delivery queued again");
    } catch (error) {
      toast.error(errorMessage(error));
    }
    await queryClient.invalidateQueries({ queryKey: trpc.webhooks.deliveries.pathKey() });
  }

  return (
    <Button variant="outline" size="sm" disabled={redeliver.isPending} onClick={() => void send()}>
      <RotateCcw aria-hidden="true" />
      {redeliver.isPending ? "Redelivering…" : "Redeliver"}
      <span className="sr-only"> {eventLabel(delivery.eventType)}</span>
    </Button>
  );
}
