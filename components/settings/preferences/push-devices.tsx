"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Trash2 } from "lucide-react";
import { useEffect, useState } from "react";
import { Button } from "@/components/ui/button";
import { SwitchRow } from "@/components/ui/switch-row";
import { toast } from "@/components/ui/toaster";
import { useFormatters } from "@/lib/format";
import { errorMessage } from "@/lib/forms";
import {
  currentSubscription,
  pushSupport,
  subscribeThisBrowser,
  subscriptionJson,
} from "@/lib/notifications/push-client";
import { useHydrated } from "@/lib/hooks/use-hydrated";
import { useTRPC } from "@/lib/trpc/react";

/** A browser's name from its user agent, for a list a person can recognise. */
function deviceName(userAgent: string | null): string {
  if (!userAgent) return "A browser";
  const browser = /Edg\//.test(userAgent)
    ? "Edge"
    : /Firefox\//.test(userAgent)
      ? "Firefox"
      : /Chrome\//.test(userAgent)
        ? "Chrome"
        : /Safari\//.test(userAgent)
          ? "Safari"
          : "A browser";
  const system = /Android/.test(userAgent)
    ? "Android"
    : /iPhone|iPad/.test(userAgent)
      ? "iOS"
      : /Mac OS X/.test(userAgent)
        ? "macOS"
        : /Windows/.test(userAgent)
          ? "Windows"
          : /Linux/.test(userAgent)
            ? "Linux"
            : null;
  return system ? `${browser} on ${system}` : browser;
}

/**
 * Push notifications for this browser (on or off), and the other devices that have them,
 * each removable. Pushes come only while Parley is closed everywhere, when a message waits.
 */
export function PushDevices() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const format = useFormatters();
  const config = useQuery(trpc.push.config.queryOptions());
  const devices = useQuery(trpc.push.devices.queryOptions());
  const subscribe = useMutation(trpc.push.subscribe.mutationOptions());
  const unsubscribe = useMutation(trpc.push.unsubscribe.mutationOptions());
  const remove = useMutation(trpc.push.remove.mutationOptions());
  const [endpoint, setEndpoint] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.push.devices.queryKey() });

  useEffect(() => {
    void currentSubscription().then((s) => setEndpoint(s?.endpoint ?? null));
  }, []);

  const on = endpoint !== null && (devices.data ?? []).some((d) => d.endpoint === endpoint);
  const publicKey = config.data?.publicKey ?? null;
  // Whether this browser can take pushes is known only in the browser, after hydration.
  const hydrated = useHydrated();
  const unavailable = !hydrated
    ? null
    : pushSupport() === "unsupported"
      ? "This browser cannot receive push notifications."
      : config.data && !publicKey
        ? "Push notifications are not set up on this server."
        : null;

  const toggle = async (next: boolean) => {
    setBusy(true);
    setProblem(null);
    try {
      if (next && publicKey) {
        const subscription = await subscribeThisBrowser(publicKey);
        await subscribe.mutateAsync(subscriptionJson(subscription));
        setEndpoint(subscription.endpoint);
        toast.success("Push notifications on for this browser");
      } else {
        const subscription = await currentSubscription();
        if (subscription) {
          await unsubscribe.mutateAsync({ endpoint: subscription.endpoint });
          await subscription.unsubscribe();
        }
        setEndpoint(null);
        toast.success("Push notifications off for this browser");
      }
    } catch (error) {
      setProblem(errorMessage(error));
    } finally {
      setBusy(false);
      void refresh();
    }
  };

  const others = (devices.data ?? []).filter((d) => d.endpoint !== endpoint);
  return (
    <SwitchRow
      label="Push notifications on this browser"
      description="When Parley is closed, new messages you would be notified about arrive as system notifications."
      checked={on}
      disabled={!hydrated || busy || unavailable !== null || config.isPending}
      onCheckedChange={toggle}
    >
      {unavailable || problem ? (
        <p role="alert" className="text-sm text-warning-text">
          {problem ?? unavailable}
        </p>
      ) : null}
      {others.length > 0 ? (
        <div className="space-y-1">
          <p className="text-sm font-medium">Your other devices with push on</p>
          <ul
            className="divide-y divide-border rounded-md border border-border"
            data-testid="push-devices"
          >
            {others.map((device) => (
              <li
                key={device.id}
                className="flex items-center justify-between gap-2 px-3 py-2 text-sm"
              >
                <span>
                  {deviceName(device.userAgent)}
                  <span className="block text-xs text-muted-foreground">
                    Since {format.date(device.createdAt)}
                  </span>
                </span>
                <Button
                  variant="ghost"
                  size="icon"
                  aria-label={`Stop push notifications to ${deviceName(device.userAgent)}, since ${format.date(device.createdAt)}`}
                  disabled={remove.isPending}
                  onClick={() =>
                    remove.mutate(
                      { id: device.id },
                      {
                        onSuccess: () => void refresh(),
                        onError: (error) => toast.error(errorMessage(error)),
                      },
                    )
                  }
                >
                  <Trash2 aria-hidden="true" />
                </Button>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </SwitchRow>
  );
}
