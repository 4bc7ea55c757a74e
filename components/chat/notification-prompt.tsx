"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { BellRing } from "lucide-react";
import { useState, useSyncExternalStore } from "react";
import { Button } from "@/components/ui/button";
import { toast } from "@/components/ui/toaster";
import { errorMessage } from "@/lib/forms";
import { useTRPC } from "@/lib/trpc/react";

type Permission = NotificationPermission | "unsupported";

const DISMISSED_KEY = "parley.notification-prompt.dismissed";

function subscribePermission(onChange: () => void): () => void {
  let status: PermissionStatus | null = null;
  let active = true;
  // Changes made in the browser's site settings, where the Permissions API can tell.
  void navigator.permissions
    ?.query({ name: "notifications" })
    .then((result) => {
      if (!active) return;
      status = result;
      status.addEventListener("change", onChange);
    })
    .catch(() => undefined);
  return () => {
    active = false;
    status?.removeEventListener("change", onChange);
  };
}
const readPermission = (): Permission =>
  typeof Notification === "undefined" ? "unsupported" : Notification.permission;

function subscribeDismissed(onChange: () => void): () => void {
  window.addEventListener("storage", onChange);
  return () => window.removeEventListener("storage", onChange);
}
const readDismissed = () => localStorage.getItem(DISMISSED_KEY) === "1";

/**
 * Offers notifications below the chat list until they are on or the user says
 * "Not now". The browser's permission is only asked for from the button, never on load.
 */
export function NotificationPrompt() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  // Neither the permission nor localStorage exists on the server: render nothing there.
  const permission = useSyncExternalStore(subscribePermission, readPermission, () => "unsupported");
  const storedDismissal = useSyncExternalStore(subscribeDismissed, readDismissed, () => true);
  const [dismissed, setDismissed] = useState(false);
  // What the browser answered when asked from here; re-renders with the new permission.
  const [answer, setAnswer] = useState<NotificationPermission | null>(null);
  const blocked = answer !== null && answer !== "granted";
  const { data: preferences } = useQuery(trpc.preferences.get.queryOptions());
  const update = useMutation(
    trpc.preferences.update.mutationOptions({
      onSuccess: (saved) => {
        queryClient.setQueryData(trpc.preferences.get.queryKey(), saved);
        toast.success("Notifications on");
      },
      onError: (error) => toast.error(`Not saved: ${errorMessage(error)}`),
    }),
  );

  if (!preferences || permission === "unsupported" || storedDismissal || dismissed) return null;
  const on = preferences.desktopNotifications && permission === "granted";
  if (on || (permission === "denied" && !blocked)) return null;

  const dismiss = () => {
    localStorage.setItem(DISMISSED_KEY, "1");
    setDismissed(true);
  };
  const turnOn = async () => {
    const next =
      Notification.permission === "default"
        ? await Notification.requestPermission()
        : Notification.permission;
    setAnswer(next);
    if (next === "granted" && !preferences.desktopNotifications)
      update.mutate({ desktopNotifications: true });
  };

  return (
    <section
      aria-label="Message notifications"
      className="flex shrink-0 items-start gap-3 border-t border-border bg-primary-soft px-3 py-3 text-sm"
    >
      <BellRing aria-hidden="true" className="mt-0.5 size-4 shrink-0 text-primary-text" />
      <div className="min-w-0 flex-1 space-y-2">
        {blocked ? (
          <p role="alert">
            Your browser blocks notifications from Parley. Allow them in the site settings (the icon
            beside the address), then try again.
          </p>
        ) : (
          <p>Get a notification when a message arrives while Parley is in the background.</p>
        )}
        <div className="flex flex-wrap gap-2">
          <Button size="sm" disabled={update.isPending} onClick={() => void turnOn()}>
            Turn on notifications
          </Button>
          <Button size="sm" variant="ghost" onClick={dismiss}>
            Not now
          </Button>
        </div>
      </div>
    </section>
  );
}
