import "server-only";

import { isUuid, UUID_PATTERN } from "@/contracts/uuid";

/**
 * The topics Parley serves. All private: a client joins with `config.private: true` and the
 * database decides (public.realtime_can_join) whether it may.
 */
export {
  callTopic,
  chatTopic,
  isPresenceTopic,
  presenceTopic,
  userTopic,
} from "@/lib/realtime/events";

/**
 * Events a client may broadcast itself, by the kind of topic: typing in a chat, signalling in
 * a call. The gateway stamps who sent them.
 */
const CLIENT_BROADCAST_EVENTS: Record<string, ReadonlySet<string>> = {
  chat: new Set(["typing", "typing.stop"]),
  call: new Set(["signal"]),
};

/** The events a client may broadcast on a topic (none on the others). */
export function clientBroadcastEvents(subTopic: string): ReadonlySet<string> {
  return CLIENT_BROADCAST_EVENTS[subTopic.slice(0, subTopic.indexOf(":"))] ?? new Set();
}

/**
 * A signal is for one participant (`to`, a user id), and reaches only their channels on the
 * call's topic; anything else is refused.
 */
export function signalRecipient(event: string, payload: object): string | null | undefined {
  if (event !== "signal") return undefined;
  const to = (payload as { to?: unknown }).to;
  return typeof to === "string" && isUuid(to) ? to : null;
}

const KNOWN_TOPIC = new RegExp(
  `^(?:chat:${UUID_PATTERN}|user:${UUID_PATTERN}|presence:${UUID_PATTERN}|call:${UUID_PATTERN})$`,
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
