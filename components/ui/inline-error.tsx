"use client";

import { Button } from "./button";

/** A part of a page that did not load, in one line, with a retry beside it. */
export function InlineError({ message, onRetry }: { message: string; onRetry: () => void }) {
  return (
    <div className="flex items-center gap-2 text-sm">
      <p className="flex-1 text-destructive-text">{message}</p>
      <Button variant="outline" size="sm" onClick={onRetry}>
        Retry
      </Button>
    </div>
  );
}
