import "server-only";

import { randomBytes } from "node:crypto";
import type { Channel } from "./channel";
import type { GatewayState } from "./gateway-state";
import { asRecord } from "./payload";
import type { ChannelTable } from "./channel-table";
import type { PresenceChange, PresenceEntry, PresenceState } from "./presence";
import { allowedToSend } from "./send-permission";
import type { InboundFrame } from "./serializer";

const PEER_TIMEOUT_MS = 45_000;

/**
 * Presence across instances: what local clients track goes out on the bus, what comes back
 * from any instance (this one included) is applied to the registry and told to local
 * subscribers as presence_diff. An instance that says bye or falls silent takes its entries
 * with it.
 */
export class PresenceSync {
  /** When each other instance was last heard from. */
  private readonly peers = new Map<string, number>();

  constructor(
    private readonly state: Pick<GatewayState, "bus" | "presence" | "presenceView" | "channels">,
  ) {}

  heardFrom(instance: string): void {
    if (instance !== this.state.bus.instanceId) this.peers.set(instance, Date.now());
  }

  apply(owner: string, topic: string, change: PresenceChange): void {
    this.changed(topic, this.state.presence.apply(owner, topic, change));
  }

  applySnapshot(owner: string, topics: { topic: string; entries: PresenceEntry[] }[]): void {
    for (const { topic, entries } of topics)
      this.apply(owner, topic, { joins: entries, leaves: [] });
  }

  /** A newcomer knows nothing yet: it hears what this instance owns. */
  greet(newcomer: string): void {
    const { bus, presence } = this.state;
    if (newcomer === bus.instanceId) return;
    bus.publish({ kind: "presence-snapshot", topics: presence.ownedBy(bus.instanceId) });
  }

  dropPeer(peer: string): void {
    this.peers.delete(peer);
    for (const { topic, change } of this.state.presence.dropOwner(peer)) {
      this.changed(topic, change);
    }
  }

  /** An instance that died without a bye would otherwise keep its users online for good. */
  dropSilentPeers(): void {
    const now = Date.now();
    for (const owner of this.state.presence.owners()) {
      if (owner === this.state.bus.instanceId) continue;
      if (now - (this.peers.get(owner) ?? 0) > PEER_TIMEOUT_MS) this.dropPeer(owner);
    }
  }

  /** A client's `presence` frame: track or untrack on its channel. */
  async fromClient(channel: Channel, frame: InboundFrame): Promise<void> {
    const { channels } = this.state;
    const message = asRecord(frame.payload);
    const connection = channels.connectionOf(channel);
    if (connection && !connection.allowPresenceCall()) {
      channels.shutdown(channel, "Client presence rate limit exceeded");
      return;
    }
    if (!channel.userId || !(await allowedToSend(channel, "presence"))) {
      channel.reply(frame.ref, "error", {
        reason: `Unauthorized: You do not have permissions to track presence on: ${channel.subTopic}`,
      });
      return;
    }
    if (message.event === "track") {
      if (
        message.payload !== undefined &&
        (typeof message.payload !== "object" || message.payload === null)
      ) {
        channel.reply(frame.ref, "error", { reason: "Presence track payload must be a map" });
        return;
      }
      if (!channel.tracked) {
        // The key and the meta come from the token's user, not from the client.
        channels.track(channel, {
          key: channel.userId,
          meta: {
            phx_ref: randomBytes(9).toString("base64url"),
            userId: channel.userId,
            name: channel.profile?.name ?? null,
            image: channel.profile?.image ?? null,
            onlineAt: new Date().toISOString(),
          },
        });
      }
      channel.reply(frame.ref, "ok");
      return;
    }
    if (message.event === "untrack") {
      channels.untrack(channel);
      channel.reply(frame.ref, "ok");
      return;
    }
    channel.reply(frame.ref, "error", { reason: "Presence event must be track or untrack" });
  }

  private changed(topic: string, applied: PresenceChange): void {
    if (!applied.joins.length && !applied.leaves.length) return;
    this.state.presenceView.changed(
      topic,
      [...applied.joins, ...applied.leaves].map((entry) => entry.key),
    );
  }
}

/** Sends one presence diff to every local channel of a topic that asked for presence. */
export function sendPresenceDiff(
  channels: ChannelTable,
  topic: string,
  diff: { joins: PresenceState; leaves: PresenceState },
): void {
  for (const channel of channels.subscribers(topic) ?? []) {
    if (!channel.options.presenceEnabled) continue;
    channel.socket.send({
      joinRef: null,
      ref: null,
      topic: channel.topic,
      event: "presence_diff",
      payload: diff,
    });
  }
}
