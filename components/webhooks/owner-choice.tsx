"use client";

import { useId } from "react";
import type { z } from "zod";
import type { webhookOwnerSchema } from "@/contracts/webhooks";

type Owner = z.infer<typeof webhookOwnerSchema>;

/** Whose endpoint a new one is: the viewer's own, or the workspace's they manage. */
export function OwnerChoice({
  value,
  onChange,
  workspaceName,
}: {
  value: Owner;
  onChange: (owner: Owner) => void;
  workspaceName: string;
}) {
  const id = useId();
  const options: { value: Owner; label: string; description: string }[] = [
    {
      value: "user",
      label: "Just me",
      description: "Events from the chats you are in.",
    },
    {
      value: "workspace",
      label: "This workspace",
      description: `Events from ${workspaceName}'s public rooms, managed with its other owners and admins.`,
    },
  ];
  return (
    <fieldset className="space-y-2">
      <legend className="mb-2 text-sm font-medium">Owner</legend>
      {options.map((option) => {
        const inputId = `${id}-${option.value}`;
        return (
          <div key={option.value} className="flex items-start gap-3">
            <input
              id={inputId}
              type="radio"
              name={`${id}-owner`}
              value={option.value}
              checked={value === option.value}
              onChange={() => onChange(option.value)}
              aria-describedby={`${inputId}-description`}
              className="mt-0.5 size-4 shrink-0 accent-primary"
            />
            <div className="space-y-0.5">
              <label htmlFor={inputId} className="text-sm font-medium">
                {option.label}
              </label>
              <p id={`${inputId}-description`} className="text-xs text-muted-foreground">
                {option.description}
              </p>
            </div>
          </div>
        );
      })}
    </fieldset>
  );
}
