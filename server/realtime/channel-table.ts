import "server-only";

import type { RealtimeBus } from "./bus";
import type { Channel } from "./channel";
import type { Connection } from "./connection";

/**
 * The channels joined on this instance, by sub-topic, and the one way out of the table:
 * every path that ends a channel releases its timer, presence and change subscriptions here.
 */
export class ChannelTable {
  private readonly topics = new Map<string, Set<Channel>>();

  constructor(
    private readonly bus: RealtimeBus,
    private readonly connections: ReadonlyMap<number, Connection>,
    /** Called when a channel with postgres_changes subscriptions goes. */
    private readonly updateCapture: () => Promise<void>,
    /** Called when a channel of this instance starts or stops being tracked in presence. */
    private readonly onTracked: (channel: Channel, change: "online" | "offline") => void = () => {},
  ) {}

  /** Tracks the channel in presence with `entry`, for every instance. */
  track(channel: Channel, entry: NonNullable<Channel["tracked"]>): void {
    channel.tracked = entry;
    this.bus.publish({
      kind: "presence",
      topic: channel.subTopic,
      change: { joins: [entry], leaves: [] },
    });
    this.onTracked(channel, "online");
  }

  /** The channels joined to a sub-topic: undefined, not empty, so a miss allocates nothing. */
  subscribers(subTopic: string): ReadonlySet<Channel> | undefined {
    return this.topics.get(subTopic);
  }

  *all(): Iterable<Channel> {
    for (const set of this.topics.values()) yield* set;
  }

  /** The channel's connection while it is open (a closed one has left the gateway's map). */
  connectionOf(channel: Channel): Connection | undefined {
    return this.connections.get(channel.socket.id);
  }

  add(connection: Connection, channel: Channel): void {
    connection.channels.set(channel.topic, channel);
    let set = this.topics.get(channel.subTopic);
    if (!set) {
      set = new Set();
      this.topics.set(channel.subTopic, set);
    }
    set.add(channel);
  }

  /** Ends a channel for good: a system message saying why, then phx_close. */
  shutdown(channel: Channel, message: string, status: "ok" | "error" = "error"): void {
    if (channel.closed) return;
    channel.system(status, message);
    this.close(channel);
  }

  close(channel: Channel): void {
    if (channel.closed) return;
    channel.socket.send({
      joinRef: channel.joinRef,
      ref: channel.joinRef,
      topic: channel.topic,
      event: "phx_close",
      payload: {},
    });
    this.remove(channel);
  }

  /** Drops a channel without telling its client (its socket is gone or told already). */
  remove(channel: Channel): void {
    if (channel.closed) return;
    channel.closed = true;
    clearTimeout(channel.expiryTimer);
    const connection = this.connectionOf(channel);
    if (connection?.channels.get(channel.topic) === channel)
      connection.channels.delete(channel.topic);
    const set = this.topics.get(channel.subTopic);
    set?.delete(channel);
    if (set?.size === 0) this.topics.delete(channel.subTopic);
    this.untrack(channel);
    if (channel.changeSubscriptions.length) {
      channel.changeSubscriptions = [];
      void this.updateCapture().catch(() => {});
    }
  }

  untrack(channel: Channel): void {
    if (!channel.tracked) return;
    this.bus.publish({
      kind: "presence",
      topic: channel.subTopic,
      change: { joins: [], leaves: [channel.tracked] },
    });
    channel.tracked = null;
    this.onTracked(channel, "offline");
  }
}
