"use client";

import { AlertTriangle } from "lucide-react";
import { Button } from "./button";

/** A failed load: what went wrong, in words, and a way to try again. */
export function ErrorState({ message, onRetry }: { message: string; onRetry?: () => void }) {
  return (
    <div
      role="alert"
      className="flex flex-col items-center gap-2 rounded-lg border border-destructive/30 bg-destructive-soft px-6 py-8 text-center text-destructive-text"
    >
      <AlertTriangle aria-hidden="true" className="size-6" />
      <p className="text-sm">{message}</p>
      {onRetry ? (
        <Button variant="outline" size="sm" onClick={onRetry}>
          Try again
        </Button>
      ) : null}
    </div>
  );
}
