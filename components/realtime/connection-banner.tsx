"use client";

import { useEffect, useState } from "react";
import { useRealtimeStatus, type RealtimeStatus } from "@/lib/realtime/provider";
import { cn } from "@/lib/utils";

/** Blips shorter than this (a page load, a quick reconnect) never flash a banner. */
const SHOW_AFTER_MS = 2_000;

const MESSAGES: Record<Exclude<RealtimeStatus, "connected">, string> = {
  connecting: "Connecting to live updates…",
  reconnecting: "Connection lost. Reconnecting…",
  offline: "You are offline. New messages will appear when you reconnect.",
};

export function ConnectionBanner() {
  const status = useRealtimeStatus();
  const connected = status === "connected";
  const [overdue, setOverdue] = useState(false);

  useEffect(() => {
    if (connected) {
      setOverdue(false);
      return;
    }
    const timer = setTimeout(() => setOverdue(true), SHOW_AFTER_MS);
    return () => clearTimeout(timer);
  }, [connected]);

  if (status === "connected" || !overdue) return null;
  return (
    <div
      role="status"
      data-testid="connection-banner"
      className={cn(
        "border-b px-4 py-2 text-center text-sm",
        status === "offline"
          ? "border-border bg-muted text-foreground"
          : "border-warning-text/30 bg-warning-soft text-warning-text",
      )}
    >
      {MESSAGES[status]}
    </div>
  );
}
