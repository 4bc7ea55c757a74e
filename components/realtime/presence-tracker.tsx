"use client";

import { usePresence } from "@/lib/realtime/hooks";

/** Counts the signed-in user as online in its workspace's presence while any signed-in page is open. */
export function PresenceTracker() {
  usePresence({ track: true });
  return null;
}
