"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { RefreshCw } from "lucide-react";
import { useState } from "react";
import { z } from "zod";
import { Button } from "@/components/ui/button";
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
} from "@/components/ui/dialog";
import { Field } from "@/components/ui/field";
import { FormError } from "@/components/ui/form-error";
import { Input } from "@/components/ui/input";
import { toast } from "@/components/ui/toaster";
import { useFormatters } from "@/lib/format";
import { applyServerError, useZodForm } from "@/lib/forms";
import { useTRPC } from "@/lib/trpc/react";
import { MAX_GRACE_HOURS, rotateApiKeyInput, type ApiKey } from "@/contracts/api-keys";
import { maskedKey } from "./key-status";
import { useUncopiedSecretGuard } from "@/components/secrets/one-time-secret";
import { SecretReveal } from "./secret-reveal";
import { Tooltip } from "@/components/ui/tooltip";
import { RowActionLabel } from "@/components/ui/row-action-label";

const rotateForm = z.object({ graceHours: rotateApiKeyInput.shape.graceHours });

interface Rotated {
  secret: string;
  previous: ApiKey;
}

/** A new key with the same name and scopes; the old one keeps working for the grace period. */
export function RotateKeyDialog({ apiKey }: { apiKey: ApiKey }) {
  const [open, setOpen] = useState(false);
  const [rotated, setRotated] = useState<Rotated | null>(null);
  const guard = useUncopiedSecretGuard();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const format = useFormatters();
  const form = useZodForm(rotateForm, { defaultValues: { graceHours: 24 } });
  const rotate = useMutation(trpc.apiKeys.rotate.mutationOptions());

  function onOpenChange(next: boolean) {
    setOpen(next);
    if (!next) {
      setRotated(null);
      guard.reset();
      form.reset({ graceHours: 24 });
    }
  }

  const submit = form.handleSubmit(async ({ graceHours }) => {
    try {
      const result = await rotate.mutateAsync({ id: apiKey.id, graceHours });
      setRotated({ secret: result.secret, previous: result.previous });
      toast.success(`Key “${apiKey.name}” rotated`);
      await queryClient.invalidateQueries({ queryKey: trpc.apiKeys.list.queryKey() });
    } catch (error) {
      applyServerError(form, error);
    }
  });

  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <Tooltip content="Rotate">
        <Button variant="outline" size="sm" onClick={() => setOpen(true)}>
          <RefreshCw aria-hidden="true" />
          <RowActionLabel label="Rotate" detail={apiKey.name} />
        </Button>
      </Tooltip>
      <DialogContent
        {...(rotated
          ? { onEscapeKeyDown: guard.onDismiss, onInteractOutside: guard.onDismiss }
          : {})}
      >
        {rotated ? (
          <>
            <DialogHeader>
              <DialogTitle>Key rotated</DialogTitle>
              <DialogDescription>
                {rotated.previous.revoked || !rotated.previous.expiresAt
                  ? `The old key ${maskedKey(rotated.previous.prefix)} no longer works.`
                  : `The old key ${maskedKey(rotated.previous.prefix)} keeps working until ${format.dateTime(rotated.previous.expiresAt)}.`}
              </DialogDescription>
            </DialogHeader>
            <SecretReveal
              secret={rotated.secret}
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
              <DialogTitle>Rotate “{apiKey.name}”</DialogTitle>
              <DialogDescription>
                You get a new key with the same scopes. The old key {maskedKey(apiKey.prefix)} keeps
                working for the grace period, so you can switch your clients over.
              </DialogDescription>
            </DialogHeader>
            <Field
              label="Grace period (hours)"
              description={`0 stops the old key at once; at most ${MAX_GRACE_HOURS} hours (7 days).`}
              error={form.formState.errors.graceHours?.message}
            >
              {(control) => (
                <Input
                  {...control}
                  type="number"
                  inputMode="numeric"
                  min={0}
                  max={MAX_GRACE_HOURS}
                  step={1}
                  {...form.register("graceHours", { valueAsNumber: true })}
                />
              )}
            </Field>
            <div className="mt-4">
              <FormError message={form.formState.errors.root?.server?.message} />
            </div>
            <DialogFooter>
              <Button type="button" variant="outline" onClick={() => onOpenChange(false)}>
                Cancel
              </Button>
              <Button type="submit" disabled={form.formState.isSubmitting}>
                {form.formState.isSubmitting ? "Rotating…" : "Rotate key"}
              </Button>
            </DialogFooter>
          </form>
        )}
      </DialogContent>
    </Dialog>
  );
}
