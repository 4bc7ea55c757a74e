"use client";

import { AlertTriangle, Copy } from "lucide-react";
import { type ReactNode, useId, useRef, useState } from "react";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { toast } from "@/components/ui/toaster";

/**
 * Keeps a dialog showing a secret from being dismissed by accident (Escape, a click outside)
 * before the secret was copied: the first such dismissal asks instead, a second one closes.
 * Closing on purpose ("Done") is not held back.
 */
export function useUncopiedSecretGuard() {
  const [copied, setCopied] = useState(false);
  const [asking, setAsking] = useState(false);
  return {
    copied,
    asking,
    onCopied: () => {
      setCopied(true);
      setAsking(false);
    },
    keepOpen: () => setAsking(false),
    reset: () => {
      setCopied(false);
      setAsking(false);
    },
    /** For DialogContent's `onEscapeKeyDown` and `onInteractOutside` while the secret shows. */
    onDismiss: (event: Event) => {
      if (copied || asking) return;
      event.preventDefault();
      setAsking(true);
    },
  };
}

export type UncopiedSecretGuard = ReturnType<typeof useUncopiedSecretGuard>;

/**
 * A secret shown this once (an API key, a webhook signing secret): Parley cannot show it
 * again, so closing before it was copied asks first (`useUncopiedSecretGuard`).
 */
export function OneTimeSecret({
  secret,
  guard,
  onClose,
  label,
  noun,
  warning,
  hint,
  testId,
}: {
  secret: string;
  guard: UncopiedSecretGuard;
  onClose: () => void;
  /** The field's label. */
  label: string;
  /** What it is, in "The … is selected" and "You have not copied this …". */
  noun: string;
  /** Why it must be copied now. */
  warning: string;
  /** What to do with it, under the field. */
  hint?: ReactNode;
  testId: string;
}) {
  const id = useId();
  const input = useRef<HTMLInputElement>(null);

  async function copy() {
    try {
      await navigator.clipboard.writeText(secret);
      guard.onCopied();
      toast.success("Copied");
    } catch {
      // No clipboard access (insecure context, denied permission): leave it selected instead.
      input.current?.select();
      toast.error(`Copying failed. The ${noun} is selected: copy it with your keyboard.`);
    }
  }

  return (
    <div className="space-y-3">
      <div
        role="note"
        className="flex gap-2 rounded-md border border-border bg-warning-soft px-3 py-2 text-sm text-warning-text"
      >
        <AlertTriangle aria-hidden="true" className="mt-0.5 size-4 shrink-0" />
        <p>{warning}</p>
      </div>
      <div className="space-y-1.5">
        <Label htmlFor={id}>{label}</Label>
        <div className="flex gap-2">
          <Input
            id={id}
            ref={input}
            readOnly
            value={secret}
            data-testid={testId}
            className="font-mono text-xs"
            onFocus={(event) => event.currentTarget.select()}
            onCopy={guard.onCopied}
          />
          <Button type="button" variant="outline" onClick={() => void copy()}>
            <Copy aria-hidden="true" />
            Copy
          </Button>
        </div>
        {hint ? <p className="text-xs text-muted-foreground">{hint}</p> : null}
      </div>
      {guard.asking ? (
        <div
          role="alert"
          className="space-y-2 rounded-md border border-destructive/30 bg-destructive-soft px-3 py-2 text-sm text-destructive-text"
        >
          <p>You have not copied this {noun}. Once this closes, no one can show it again.</p>
          <div className="flex flex-wrap gap-2">
            <Button type="button" size="sm" variant="destructive" onClick={onClose}>
              Close without copying
            </Button>
            <Button type="button" size="sm" variant="outline" onClick={guard.keepOpen}>
              Keep it open
            </Button>
          </div>
        </div>
      ) : null}
    </div>
  );
}
