"use client";

import { useId, useState } from "react";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import type { Preferences, UpdatePreferencesInput } from "@/contracts/preferences";

/**
 * Quiet hours: a daily window with no pushes (digests wait for it to end too), kept in the
 * zone of the browser that set it, so "22:00" stays the evening wherever the server runs.
 */
export function QuietHours({
  preferences,
  saving,
  save,
}: {
  preferences: Preferences;
  saving: boolean;
  save: (changes: UpdatePreferencesInput, success: string) => Promise<boolean>;
}) {
  const id = useId();
  const [start, setStart] = useState(preferences.quietHoursStart || "22:00");
  const [end, setEnd] = useState(preferences.quietHoursEnd || "07:00");
  const on = preferences.quietHoursStart !== "" && preferences.quietHoursEnd !== "";
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  return (
    <fieldset className="space-y-2" aria-describedby={`${id}-help`}>
      <legend className="text-sm font-medium">Quiet hours</legend>
      <p id={`${id}-help`} className="text-sm text-muted-foreground">
        {on
          ? `No push notifications from ${preferences.quietHoursStart} to ${preferences.quietHoursEnd} (${preferences.quietHoursTimeZone}); email summaries wait until they end.`
          : "Off: notifications can come at any time of day."}
      </p>
      <div className="flex flex-wrap items-end gap-3">
        <div className="space-y-1">
          <Label htmlFor={`${id}-start`}>From</Label>
          <Input
            id={`${id}-start`}
            type="time"
            value={start}
            onChange={(e) => setStart(e.target.value)}
            className="w-32"
          />
        </div>
        <div className="space-y-1">
          <Label htmlFor={`${id}-end`}>To</Label>
          <Input
            id={`${id}-end`}
            type="time"
            value={end}
            onChange={(e) => setEnd(e.target.value)}
            className="w-32"
          />
        </div>
        <Button
          type="button"
          variant="outline"
          disabled={saving || !start || !end || start === end}
          onClick={() =>
            void save(
              { quietHoursStart: start, quietHoursEnd: end, quietHoursTimeZone: zone },
              `Quiet hours ${start}–${end}`,
            )
          }
        >
          {on ? "Save quiet hours" : "Turn on quiet hours"}
        </Button>
        {on ? (
          <Button
            type="button"
            variant="ghost"
            disabled={saving}
            onClick={() => void save({ quietHoursStart: "", quietHoursEnd: "" }, "Quiet hours off")}
          >
            Turn off
          </Button>
        ) : null}
      </div>
    </fieldset>
  );
}
