"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Trash2 } from "lucide-react";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { RowActionLabel } from "@/components/ui/row-action-label";
import { toast } from "@/components/ui/toaster";
import { useTRPC } from "@/lib/trpc/react";
import type { WebhookEndpoint } from "@/contracts/webhooks";

/** Delete, after a confirmation: the endpoint's delivery log goes with it. */
export function DeleteEndpointButton({ endpoint }: { endpoint: WebhookEndpoint }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const remove = useMutation(trpc.webhooks.delete.mutationOptions());

  async function confirm() {
    await remove.mutateAsync({ id: endpoint.id });
    toast.success("Endpoint deleted");
    await queryClient.invalidateQueries({ queryKey: trpc.webhooks.list.pathKey() });
  }

  return (
    <ConfirmDialog
      triggerTooltip="Delete"
      trigger={
        <Button variant="outline" size="sm">
          <Trash2 aria-hidden="true" />
          <RowActionLabel label="Delete" detail={endpoint.url} />
        </Button>
      }
      title="Delete this endpoint?"
      description={
        <p className="break-all">
          Parley stops sending events to {endpoint.url} at once, and its delivery log is deleted
          with it. This cannot be undone.
        </p>
      }
      confirmLabel="Delete endpoint"
      pendingLabel="Deleting…"
      onConfirm={confirm}
    />
  );
}
