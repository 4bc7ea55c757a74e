"use client";

import { AlertTriangle, Copy } from "lucide-react";
import { useId, useRef } from "react";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { toast } from "@/components/ui/toaster";

/** A new key's secret, shown this once: only its hash is kept, so it cannot be shown again. */
export function SecretReveal({ secret }: { secret: string }) {
  const id = useId();
  const input = useRef<HTMLInputElement>(null);

  async function copy() {
    try {
      await navigator.clipboard.writeText(secret);
      toast.success("Copied");
    } catch {
      // No clipboard access (insecure context, denied permission): leave it selected instead.
      input.current?.select();
      toast.error("Copying failed. The key is selected: copy it with your keyboard.");
    }
  }

  return (
    <div className="space-y-3">
      <div
        role="note"
        className="flex gap-2 rounded-md border border-border bg-warning-soft px-3 py-2 text-sm text-warning-text"
      >
        <AlertTriangle aria-hidden="true" className="mt-0.5 size-4 shrink-0" />
        <p>
          Copy this key now and store it somewhere safe. It will not be shown again: Parley keeps
          only a hash of it.
        </p>
      </div>
      <div className="space-y-1.5">
        <Label htmlFor={id}>Your new API key</Label>
        <div className="flex gap-2">
          <Input
            id={id}
            ref={input}
            readOnly
            value={secret}
            data-testid="api-key-secret"
            className="font-mono text-xs"
            onFocus={(event) => event.currentTarget.select()}
          />
          <Button type="button" variant="outline" onClick={() => void copy()}>
            <Copy aria-hidden="true" />
            Copy
          </Button>
        </div>
      </div>
    </div>
  );
}
