"use client";

import { AlertDialog } from "radix-ui";
import { useId, useState, type ReactNode } from "react";
import { cn } from "@/lib/utils";
import { Button, buttonVariants } from "./button";
import { contentClassName, overlayClassName } from "./dialog";
import { FormError } from "./form-error";
import { Input } from "./input";
import { Label } from "./label";
import { Tooltip } from "./tooltip";

/**
 * Asks before a destructive action. `confirmText` makes the user type a value (an email, a
 * name) before the button unlocks. The dialog stays open and shows the error if the action
 * fails, and closes once it succeeds.
 */
export function ConfirmDialog({
  trigger,
  triggerTooltip,
  title,
  description,
  confirmLabel,
  pendingLabel,
  destructive = true,
  confirmText,
  onConfirm,
  open: controlledOpen,
  onOpenChange,
}: {
  trigger?: ReactNode;
  /** A hint shown on the trigger's hover and focus (for a trigger that is an icon). */
  triggerTooltip?: string;
  title: string;
  description: ReactNode;
  confirmLabel: string;
  pendingLabel?: string;
  destructive?: boolean;
  confirmText?: string;
  onConfirm: () => Promise<unknown>;
  open?: boolean;
  onOpenChange?: (open: boolean) => void;
}) {
  const [uncontrolledOpen, setUncontrolledOpen] = useState(false);
  const open = controlledOpen ?? uncontrolledOpen;
  const [typed, setTyped] = useState("");
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const inputId = useId();

  const setOpen = (next: boolean) => {
    if (pending) return;
    if (!next) {
      setTyped("");
      setError(null);
    }
    setUncontrolledOpen(next);
    onOpenChange?.(next);
  };

  const locked = confirmText !== undefined && typed.trim() !== confirmText;

  async function confirm() {
    setPending(true);
    setError(null);
    try {
      await onConfirm();
      setPending(false);
      setTyped("");
      setUncontrolledOpen(false);
      onOpenChange?.(false);
    } catch (failure) {
      setPending(false);
      setError(failure instanceof Error ? failure.message : "Something went wrong. Try again.");
    }
  }

  const triggerElement = trigger ? (
    <AlertDialog.Trigger asChild>{trigger}</AlertDialog.Trigger>
  ) : null;
  return (
    <AlertDialog.Root open={open} onOpenChange={setOpen}>
      {triggerTooltip && triggerElement ? (
        <Tooltip content={triggerTooltip}>{triggerElement}</Tooltip>
      ) : (
        triggerElement
      )}
      <AlertDialog.Portal>
        <AlertDialog.Overlay className={overlayClassName} />
        <AlertDialog.Content className={cn(contentClassName, "max-w-md")}>
          <AlertDialog.Title className="text-lg font-semibold">{title}</AlertDialog.Title>
          <AlertDialog.Description asChild>
            <div className="mt-2 space-y-2 text-sm text-muted-foreground">{description}</div>
          </AlertDialog.Description>
          {confirmText !== undefined ? (
            <div className="mt-4 space-y-2">
              <Label htmlFor={inputId}>
                Type <span className="font-mono font-semibold">{confirmText}</span> to confirm
              </Label>
              <Input
                id={inputId}
                value={typed}
                autoComplete="off"
                onChange={(event) => setTyped(event.target.value)}
              />
            </div>
          ) : null}
          <div className="mt-4">
            <FormError message={error} />
          </div>
          <div className="mt-4 flex flex-col-reverse gap-2 sm:flex-row sm:justify-end">
            <AlertDialog.Cancel className={buttonVariants({ variant: "outline" })}>
              Cancel
            </AlertDialog.Cancel>
            <Button
              variant={destructive ? "destructive" : "default"}
              disabled={locked || pending}
              onClick={() => void confirm()}
            >
              {pending ? (pendingLabel ?? `${confirmLabel}…`) : confirmLabel}
            </Button>
          </div>
        </AlertDialog.Content>
      </AlertDialog.Portal>
    </AlertDialog.Root>
  );
}
