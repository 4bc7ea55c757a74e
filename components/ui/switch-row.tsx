"use client";

import { useId, type ReactNode } from "react";
import { Label } from "@/components/ui/label";
import { Switch } from "@/components/ui/switch";

/** A labelled on/off setting with its explanation, read together by screen readers. */
export function SwitchRow({
  label,
  description,
  checked,
  disabled,
  onCheckedChange,
  children,
}: {
  label: string;
  description: ReactNode;
  checked: boolean;
  disabled?: boolean;
  onCheckedChange: (checked: boolean) => unknown;
  children?: ReactNode;
}) {
  const id = useId();
  return (
    <div className="space-y-2">
      <div className="flex items-start justify-between gap-4">
        <div className="space-y-1">
          <Label htmlFor={id}>{label}</Label>
          <p id={`${id}-description`} className="text-sm text-muted-foreground">
            {description}
          </p>
        </div>
        <Switch
          id={id}
          checked={checked}
          disabled={disabled}
          aria-describedby={`${id}-description`}
          onCheckedChange={(value) => void onCheckedChange(value)}
        />
      </div>
      {children}
    </div>
  );
}
