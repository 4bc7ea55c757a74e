"use client";

import { usePresence } from "@/lib/realtime/hooks";

/** Counts the signed-in user as online on presence:online while any signed-in page is open. */
export function PresenceTracker() {
  usePresence({ track: true });
  return null;
}
