import "server-only";

import { UUID_PATTERN } from "@/contracts/uuid";

/**
 * The topics Parley serves. All private: a client joins with `config.private: true` and the
 * database decides (public.realtime_can_join) whether it may.
 */
export { chatTopic, isPresenceTopic, presenceTopic, userTopic } from "@/lib/realtime/events";

/** Events a client may broadcast itself; the gateway stamps who sent them. */
export const CLIENT_BROADCAST_EVENTS: ReadonlySet<string> = new Set(["typing", "typing.stop"]);

const KNOWN_TOPIC = new RegExp(
  `^(?:chat:${UUID_PATTERN}|user:${UUID_PATTERN}|presence:${UUID_PATTERN})$`,
);

export function isKnownTopic(subTopic: string): boolean {
  return KNOWN_TOPIC.test(subTopic);
}

/** `realtime:chat:…` on the wire; `chat:…` everywhere else. */
export const WIRE_PREFIX = "realtime:";
export const toWireTopic = (subTopic: string) => WIRE_PREFIX + subTopic;
export function fromWireTopic(topic: string): string | null {
  return topic.startsWith(WIRE_PREFIX) ? topic.slice(WIRE_PREFIX.length) : null;
}
