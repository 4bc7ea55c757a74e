"use client";

import { formatCallDuration } from "@/lib/calls/call-text";
import { useNow } from "@/lib/use-now";

/** How long the call has been going, ticking each second. */
export function CallTimer({ since }: { since: Date }) {
  const now = useNow(1_000);
  return <time>{now === null ? "" : formatCallDuration((now - since.getTime()) / 1000)}</time>;
}
