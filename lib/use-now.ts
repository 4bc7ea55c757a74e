"use client";

import { useEffect, useState } from "react";

/**
 * The current time, renewed every `everyMs` while mounted; null until mounted, so a server
 * render and the hydration agree.
 */
export function useNow(everyMs: number): number | null {
  const [now, setNow] = useState<number | null>(null);
  useEffect(() => {
    const tick = () => setNow(Date.now());
    tick();
    const timer = setInterval(tick, everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}
