"use client";

import { useMutation } from "@tanstack/react-query";
import { RefreshCw } from "lucide-react";
import { useState } from "react";
import { useUncopiedSecretGuard } from "@/components/secrets/one-time-secret";
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
import { toast } from "@/components/ui/toaster";
import { Tooltip } from "@/components/ui/tooltip";
import { errorMessage } from "@/lib/forms";
import { useTRPC } from "@/lib/trpc/react";
import type { WebhookEndpoint } from "@/contracts/webhooks";
import { SigningSecretReveal } from "./signing-secret-reveal";

/** A new signing secret, after a warning: the old one stops verifying at once. */
export function RotateSecretDialog({ endpoint }: { endpoint: WebhookEndpoint }) {
  const [open, setOpen] = useState(false);
  const [secret, setSecret] = useState<string | null>(null);
  const guard = useUncopiedSecretGuard();
  const trpc = useTRPC();
  const rotate = useMutation(trpc.webhooks.rotateSecret.mutationOptions());

  function onOpenChange(next: boolean) {
    setOpen(next);
    if (!next) {
      setSecret(null);
      guard.reset();
      rotate.reset();
    }
  }

  async function confirm() {
    try {
      const rotated = await rotate.mutateAsync({ id: endpoint.id });
      setSecret(rotated.secret);
      toast.success("Signing secret rotated");
    } catch {
      // Shown below from the mutation's own state.
    }
  }

  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <Tooltip content="Rotate secret">
        <Button variant="outline" size="sm" onClick={() => setOpen(true)}>
          <RefreshCw aria-hidden="true" />
          <RowActionLabel label="Rotate secret" detail={endpoint.url} />
        </Button>
      </Tooltip>
      <DialogContent
        {...(secret
          ? { onEscapeKeyDown: guard.onDismiss, onInteractOutside: guard.onDismiss }
          : {})}
      >
        {secret ? (
          <>
            <DialogHeader>
              <DialogTitle>Secret rotated</DialogTitle>
              <DialogDescription className="break-all">
                Requests to {endpoint.url} are signed with this secret from now on.
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
          <>
            <DialogHeader>
              <DialogTitle>Rotate the signing secret?</DialogTitle>
              <DialogDescription className="break-all">
                Every request to {endpoint.url} is signed with the new secret at once, retries
                included: update the receiving service straight away, or it will refuse them.
              </DialogDescription>
            </DialogHeader>
            <FormError message={rotate.isError ? errorMessage(rotate.error) : null} />
            <DialogFooter>
              <Button type="button" variant="outline" onClick={() => onOpenChange(false)}>
                Cancel
              </Button>
              <Button disabled={rotate.isPending} onClick={() => void confirm()}>
                {rotate.isPending ? "Rotating…" : "Rotate secret"}
              </Button>
            </DialogFooter>
          </>
        )}
      </DialogContent>
    </Dialog>
  );
}
