"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Pencil } from "lucide-react";
import { useState } from "react";
import { Controller } from "react-hook-form";
import { Button } from "@/components/ui/button";
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
} from "@/components/ui/dialog";
import { FormError } from "@/components/ui/form-error";
import { RowActionLabel } from "@/components/ui/row-action-label";
import { SwitchRow } from "@/components/ui/switch-row";
import { toast } from "@/components/ui/toaster";
import { Tooltip } from "@/components/ui/tooltip";
import { applyServerError, useZodForm } from "@/lib/forms";
import { useTRPC } from "@/lib/trpc/react";
import type { WebhookEndpoint } from "@/contracts/webhooks";
import { editDefaults, editEndpointFormSchema } from "./endpoint-form";
import { EndpointFields } from "./endpoint-fields";
import { EventCheckboxes } from "./event-checkboxes";

/** Changes an endpoint's address, description, events, and turns it on or off. */
export function EditEndpointDialog({ endpoint }: { endpoint: WebhookEndpoint }) {
  const [open, setOpen] = useState(false);
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const form = useZodForm(editEndpointFormSchema, { defaultValues: editDefaults(endpoint) });
  const update = useMutation(trpc.webhooks.update.mutationOptions());
  const { errors } = form.formState;

  function onOpenChange(next: boolean) {
    // Opened again, the form starts from the endpoint as it is now, not as it was last edited.
    if (next) form.reset(editDefaults(endpoint));
    setOpen(next);
  }

  const submit = form.handleSubmit(async (values) => {
    try {
      await update.mutateAsync({ id: endpoint.id, ...values });
      toast.success("Endpoint saved");
      await queryClient.invalidateQueries({ queryKey: trpc.webhooks.list.pathKey() });
      setOpen(false);
    } catch (error) {
      applyServerError(form, error);
    }
  });

  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <Tooltip content="Edit">
        <Button variant="outline" size="sm" onClick={() => onOpenChange(true)}>
          <Pencil aria-hidden="true" />
          <RowActionLabel label="Edit" detail={endpoint.url} />
        </Button>
      </Tooltip>
      <DialogContent className="max-w-xl">
        <form noValidate onSubmit={(event) => void submit(event)}>
          <DialogHeader>
            <DialogTitle>Edit endpoint</DialogTitle>
            <DialogDescription className="break-all">{endpoint.url}</DialogDescription>
          </DialogHeader>
          <div className="space-y-5">
            <EndpointFields
              url={form.register("url")}
              description={form.register("description")}
              errors={{ url: errors.url?.message, description: errors.description?.message }}
            />
            <Controller
              control={form.control}
              name="eventTypes"
              render={({ field }) => (
                <EventCheckboxes
                  value={field.value}
                  onChange={field.onChange}
                  error={errors.eventTypes?.message}
                />
              )}
            />
            <Controller
              control={form.control}
              name="enabled"
              render={({ field }) => (
                <SwitchRow
                  label="Enabled"
                  description={
                    !endpoint.enabled && endpoint.disabledReason
                      ? `Off: ${endpoint.disabledReason}. Turning it on starts the count of failures afresh.`
                      : "While it is off, Parley sends it nothing."
                  }
                  checked={field.value}
                  onCheckedChange={field.onChange}
                />
              )}
            />
            <FormError message={errors.root?.server?.message} />
          </div>
          <DialogFooter>
            <Button type="button" variant="outline" onClick={() => onOpenChange(false)}>
              Cancel
            </Button>
            <Button type="submit" disabled={form.formState.isSubmitting}>
              {form.formState.isSubmitting ? "Saving…" : "Save"}
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}
