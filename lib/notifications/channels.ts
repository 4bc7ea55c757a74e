import { inQuietHours, type QuietHours } from "./quiet-hours";

/** What decides which channels carry a message one member should hear of. */
export interface ChannelFacts {
  /** The "Email me about missed messages" preference. */
  email: boolean;
  /** The push preference, and how many devices have push on. */
  push: boolean;
  pushDevices: number;
  online: boolean;
  quietHours: QuietHours | null;
  /** Pushes sent them in the last minute, and how many a minute may have. */
  recentPushes: number;
  pushesPerMinute: number;
}

export interface Channels {
  /** Held for their next e-mail digest (which waits for them to be away, and quiet hours out). */
  digest: boolean;
  push: "send" | "online" | "quiet" | "throttled" | "off";
}

/**
 * The channels for a member the rule lets through (./decide.ts): a push to each of their
 * devices unless they are online (the open page tells them), in their quiet hours, or past
 * their pushes for the minute; and their next digest if they take e-mail, which skips
 * whatever they read before it goes.
 */
export function deliveryChannels(facts: ChannelFacts, now: Date): Channels {
  const push: Channels["push"] =
    !facts.push || facts.pushDevices === 0
      ? "off"
      : facts.online
        ? "online"
        : facts.quietHours && inQuietHours(facts.quietHours, now)
          ? "quiet"
          : facts.recentPushes >= facts.pushesPerMinute
            ? "throttled"
            : "send";
  return { digest: facts.email, push };
}
