"use client";

import { useRealtimeStatus, type RealtimeStatus } from "@/lib/realtime/provider";
import { cn } from "@/lib/utils";

const LABELS: Record<RealtimeStatus, string> = {
  connecting: "Connecting",
  connected: "Live",
  reconnecting: "Reconnecting",
  offline: "Offline",
};

const COLORS: Record<RealtimeStatus, string> = {
  connecting: "bg-muted-foreground/50",
  connected: "bg-online",
  reconnecting: "bg-reconnecting",
  offline: "bg-muted-foreground",
};

/** A dot beside the user's name; `data-realtime-status` is what the e2e tests read. */
export function ConnectionIndicator() {
  const status = useRealtimeStatus();
  return (
    <span
      data-testid="realtime-status"
      data-realtime-status={status}
      title={`Live updates: ${LABELS[status].toLowerCase()}`}
      className={cn("inline-block size-2 shrink-0 rounded-full", COLORS[status])}
    >
      <span className="sr-only">{LABELS[status]}</span>
    </span>
  );
}
