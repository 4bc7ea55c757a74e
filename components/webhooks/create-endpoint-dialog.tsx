"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Plus } from "lucide-react";
import { useState } from "react";
import { Controller } from "react-hook-form";
import { useUncopiedSecretGuard } from "@/components/secrets/one-time-secret";
import { Button } from "@/components/ui/button";
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
  DialogTrigger,
} from "@/components/ui/dialog";
import { FormError } from "@/components/ui/form-error";
import { toast } from "@/components/ui/toaster";
import { applyServerError, useZodForm } from "@/lib/forms";
import { useHydrated } from "@/lib/hooks/use-hydrated";
import { useTRPC } from "@/lib/trpc/react";
import { CREATE_DEFAULTS, createEndpointFormSchema } from "./endpoint-form";
import { EndpointFields } from "./endpoint-fields";
import { EventCheckboxes } from "./event-checkboxes";
import { OwnerChoice } from "./owner-choice";
import { SigningSecretReveal } from "./signing-secret-reveal";
import { useManagedWorkspace } from "./use-workspace-manager";

/** "Add endpoint": the form, then the endpoint's signing secret, shown once. */
export function CreateEndpointDialog() {
  const hydrated = useHydrated();
  const [open, setOpen] = useState(false);
  const [secret, setSecret] = useState<string | null>(null);
  const guard = useUncopiedSecretGuard();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const workspace = useManagedWorkspace();
  const form = useZodForm(createEndpointFormSchema, { defaultValues: CREATE_DEFAULTS });
  const create = useMutation(trpc.webhooks.create.mutationOptions());
  const { errors } = form.formState;

  function onOpenChange(next: boolean) {
    setOpen(next);
    if (!next) {
      // Forget the secret the moment the dialog closes: it is never shown twice.
      setSecret(null);
      guard.reset();
      form.reset(CREATE_DEFAULTS);
      create.reset();
    }
  }

  const submit = form.handleSubmit(async (values) => {
    try {
      const created = await create.mutateAsync(values);
      setSecret(created.secret);
      toast.success("Endpoint added");
      await queryClient.invalidateQueries({ queryKey: trpc.webhooks.list.pathKey() });
    } catch (error) {
      applyServerError(form, error);
    }
  });

  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogTrigger asChild>
        <Button disabled={!hydrated}>
          <Plus aria-hidden="true" />
          Add endpoint
        </Button>
      </DialogTrigger>
      <DialogContent
        className="max-w-xl"
        {...(secret
          ? { onEscapeKeyDown: guard.onDismiss, onInteractOutside: guard.onDismiss }
          : {})}
      >
        {secret ? (
          <>
            <DialogHeader>
              <DialogTitle>Endpoint added</DialogTitle>
              <DialogDescription>
                Parley signs every request to it with this secret.
              </DialogDescription>
            </DialogHeader>
            <SigningSecretReveal
              secret={secret}
              guard={guard}
              onClose={() => onOpenChange(false)}
            />
            <DialogFooter>
              <Button onClick={() => onOpenChange(false)}>Done</Button>
            </DialogFooter>
          </>
        ) : (
          <form noValidate onSubmit={(event) => void submit(event)}>
            <DialogHeader>
              <DialogTitle>Add a webhook endpoint</DialogTitle>
              <DialogDescription>
                Parley sends a signed POST request to this address each time one of the chosen
                events happens.
              </DialogDescription>
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
              {workspace ? (
                <Controller
                  control={form.control}
                  name="owner"
                  render={({ field }) => (
                    <OwnerChoice
                      value={field.value ?? "user"}
                      onChange={field.onChange}
                      workspaceName={workspace.name}
                    />
                  )}
                />
              ) : null}
              <FormError message={errors.root?.server?.message} />
            </div>
            <DialogFooter>
              <Button type="button" variant="outline" onClick={() => onOpenChange(false)}>
                Cancel
              </Button>
              <Button type="submit" disabled={form.formState.isSubmitting}>
                {form.formState.isSubmitting ? "Adding…" : "Add endpoint"}
              </Button>
            </DialogFooter>
          </form>
        )}
      </DialogContent>
    </Dialog>
  );
}
