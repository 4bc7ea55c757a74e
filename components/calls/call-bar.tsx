"use client";

import { Maximize2, PhoneOff } from "lucide-react";
import { Button } from "@/components/ui/button";
import { useCalls } from "./calls-context";
import { CallTimer } from "./call-timer";

/** The way back to the call from anywhere in the app, and out of it. */
export function CallBar() {
  const { joined, here, setView, leave, busy } = useCalls();
  if (!joined) return null;
  const others = joined.participants.filter((p) => p.status === "joined").length - 1;
  return (
    <div
      role="region"
      aria-label="Current call"
      // Floats over the page's top edge rather than pushing every page's layout down.
      className="fixed top-2 left-1/2 z-50 flex w-[min(36rem,calc(100vw-1rem))] -translate-x-1/2 items-center gap-3 rounded-xl bg-primary px-3 py-1.5 text-sm text-primary-foreground shadow-lg"
    >
      <span className="min-w-0 flex-1 truncate">
        {joined.kind === "video" ? "Video call" : "Call"} · {joined.chatTitle}
        {others > 0 ? "" : " · waiting for others"}
        {joined.startedAt ? (
          <>
            {" · "}
            <CallTimer since={joined.startedAt} />
          </>
        ) : null}
        {here ? "" : " · in another tab"}
      </span>
      {here ? (
        <Button size="sm" variant="secondary" onClick={() => setView("full")}>
          <Maximize2 aria-hidden="true" />
          Return to call
        </Button>
      ) : null}
      <Button size="sm" variant="destructive" onClick={() => void leave()} disabled={busy}>
        <PhoneOff aria-hidden="true" />
        Leave call
      </Button>
    </div>
  );
}
