"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Send } from "lucide-react";
import { Button } from "@/components/ui/button";
import { RowActionLabel } from "@/components/ui/row-action-label";
import { toast } from "@/components/ui/toaster";
import { Tooltip } from "@/components/ui/tooltip";
import { errorMessage } from "@/lib/forms";
import { useTRPC } from "@/lib/trpc/react";
import type { WebhookEndpoint } from "@/contracts/webhooks";

/**
 * Queues a `webhook.test` event for the endpoint and refreshes its delivery log, where the
 * outcome shows. `compact`: an icon in a table row, its words in the tooltip.
 */
export function SendTestButton({
  endpoint,
  compact = false,
}: {
  endpoint: WebhookEndpoint;
  compact?: boolean;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const sendTest = useMutation(trpc.webhooks.sendTest.mutationOptions());

  async function send() {
    try {
      await sendTest.mutateAsync({ id: endpoint.id });
      toast.success(
        endpoint.enabled
          ? "Test event queued"
          : "Test event queued; the endpoint is off, so it will be skipped",
      );
    } catch (error) {
      toast.error(errorMessage(error));
    }
    await queryClient.invalidateQueries({ queryKey: trpc.webhooks.deliveries.pathKey() });
  }

  const button = (
    <Button variant="outline" size="sm" disabled={sendTest.isPending} onClick={() => void send()}>
      <Send aria-hidden="true" />
      {compact ? (
        <RowActionLabel label="Send test event" detail={endpoint.url} />
      ) : sendTest.isPending ? (
        "Sending…"
      ) : (
        "Send test event"
      )}
    </Button>
  );
  return compact ? <Tooltip content="Send test event">{button}</Tooltip> : button;
}
