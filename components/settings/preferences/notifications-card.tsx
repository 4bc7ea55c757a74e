"use client";

import { useState } from "react";
import { Card, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Field } from "@/components/ui/field";
import { NativeSelect } from "@/components/ui/select";
import { notificationLevelSchema } from "@/contracts/preferences";
import { SwitchRow } from "@/components/ui/switch-row";
import { usePreferences } from "./use-preferences";
import { PushDevices } from "./push-devices";
import { QuietHours } from "./quiet-hours";

type Permission = NotificationPermission | "unsupported";

/** Asks the browser for permission to notify; what it answered (or that it cannot). */
async function askPermission(): Promise<Permission> {
  if (typeof window === "undefined" || !("Notification" in window)) return "unsupported";
  if (Notification.permission !== "default") return Notification.permission;
  return Notification.requestPermission();
}

const PERMISSION_HELP: Partial<Record<Permission, string>> = {
  denied:
    "Your browser blocks notifications from Parley. Allow them in the site settings (the icon beside the address), then turn this on again.",
  unsupported: "This browser cannot show desktop notifications.",
};

export function NotificationsCard() {
  const { preferences, save, saving } = usePreferences();
  const [permission, setPermission] = useState<Permission | null>(null);

  return (
    <Card>
      <CardHeader>
        <CardTitle>Notifications</CardTitle>
        <CardDescription>When and how Parley tells you about new messages.</CardDescription>
      </CardHeader>
      <div className="space-y-5">
        <SwitchRow
          label="Desktop notifications"
          description="Show a system notification for new messages while Parley is open in a tab."
          checked={preferences.desktopNotifications}
          disabled={saving}
          onCheckedChange={async (on) => {
            if (on) {
              const answer = await askPermission();
              setPermission(answer);
              if (answer !== "granted") return;
            }
            await save(
              { desktopNotifications: on },
              on ? "Desktop notifications on" : "Desktop notifications off",
            );
          }}
        >
          {permission && PERMISSION_HELP[permission] ? (
            <p role="alert" className="text-sm text-warning-text">
              {PERMISSION_HELP[permission]}
            </p>
          ) : null}
        </SwitchRow>
        <Field
          label="Notify me about"
          description="A chat's own setting (mute, mentions only) still applies on top of this."
          className="max-w-sm"
        >
          {(control) => (
            <NativeSelect
              {...control}
              value={preferences.notificationLevel}
              disabled={saving}
              onChange={(event) => {
                const parsed = notificationLevelSchema.safeParse(event.target.value);
                if (parsed.success) {
                  void save({ notificationLevel: parsed.data }, "Notification level saved");
                }
              }}
            >
              <option value="all">All new messages</option>
              <option value="mentions">Only mentions of me</option>
              <option value="none">Nothing</option>
            </NativeSelect>
          )}
        </Field>
        <PushDevices />
        <SwitchRow
          label="Email me about missed messages"
          description="A summary by email when messages wait unread while you are away."
          checked={preferences.emailNotifications}
          disabled={saving}
          onCheckedChange={(on) =>
            save({ emailNotifications: on }, on ? "Email summaries on" : "Email summaries off")
          }
        />
        <SwitchRow
          label="Show message text"
          description="Push notifications and email summaries say what a message says. Off, they only say who wrote, and where."
          checked={preferences.messagePreviews}
          disabled={saving}
          onCheckedChange={(on) =>
            save({ messagePreviews: on }, on ? "Message text shown" : "Message text hidden")
          }
        />
        <QuietHours preferences={preferences} saving={saving} save={save} />
      </div>
    </Card>
  );
}
