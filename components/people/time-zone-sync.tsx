"use client";

import { useEffect } from "react";
import { browserTimeZone } from "@/lib/time-zone";
import { useTRPCClient } from "@/lib/trpc/react";

/** Remembers, for this tab, the zone already checked against the stored one. */
const CHECKED_KEY = "parley:time-zone-checked";

/**
 * Keeps the time zone others see on my profile card the one this browser is in (while I share
 * my local time): checked once per tab, written only when it changed — after travelling, or
 * on the first visit.
 */
export function TimeZoneSync() {
  const client = useTRPCClient();
  useEffect(() => {
    const zone = browserTimeZone();
    try {
      if (sessionStorage.getItem(CHECKED_KEY) === zone) return;
    } catch {
      // Without session storage the check runs on each load; it is one small request.
    }
    void (async () => {
      const settings = await client.presence.settings.query();
      if (settings.shareLocalTime && settings.timeZone !== zone) {
        await client.presence.update.mutate({ timeZone: zone });
      }
      try {
        sessionStorage.setItem(CHECKED_KEY, zone);
      } catch {
        // As above.
      }
    })().catch(() => {
      // Not written now: the next page load tries again.
    });
  }, [client]);
  return null;
}
