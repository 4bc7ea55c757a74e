"use client";

import { useId } from "react";
import { Checkbox } from "@/components/ui/checkbox";
import { Label } from "@/components/ui/label";
import { WEBHOOK_EVENT_TYPES, type WebhookEventType } from "@/contracts/webhooks";
import { EVENT_LABELS } from "./webhook-labels";

/** The events an endpoint subscribes to, one checkbox each, with the wire name beside. */
export function EventCheckboxes({
  value,
  onChange,
  error,
}: {
  value: readonly WebhookEventType[];
  onChange: (next: WebhookEventType[]) => void;
  error?: string | undefined;
}) {
  const id = useId();
  return (
    <fieldset className="space-y-2" aria-describedby={error ? `${id}-error` : undefined}>
      <legend className="mb-2 text-sm font-medium">Events</legend>
      <ul className="grid gap-2 sm:grid-cols-2">
        {WEBHOOK_EVENT_TYPES.map((type) => {
          const checkboxId = `${id}-${type}`;
          return (
            <li key={type} className="flex items-start gap-3">
              <Checkbox
                id={checkboxId}
                className="mt-0.5"
                checked={value.includes(type)}
                aria-describedby={`${checkboxId}-type`}
                onCheckedChange={(next) =>
                  onChange(
                    next === true
                      ? [...value.filter((t) => t !== type), type]
                      : value.filter((t) => t !== type),
                  )
                }
              />
              <div className="min-w-0 space-y-0.5">
                <Label htmlFor={checkboxId}>{EVENT_LABELS[type]}</Label>
                <p id={`${checkboxId}-type`} className="font-mono text-xs text-muted-foreground">
                  {type}
                </p>
              </div>
            </li>
          );
        })}
      </ul>
      {error ? (
        <p id={`${id}-error`} className="text-xs font-medium text-destructive-text">
          {error}
        </p>
      ) : null}
    </fieldset>
  );
}
