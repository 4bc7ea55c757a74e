import "server-only";

import type { Profile } from "./authorize";
import type { ChangeData, ChangeSubscription, ChangeTarget } from "./postgres-changes";
import type { PresenceEntry } from "./presence";
import type { Frame, OutgoingBroadcast } from "./serializer";
import type { RealtimeClaims } from "./tokens";

/** What a channel needs from its socket. */
export interface ChannelSocket {
  readonly id: number;
  send(frame: Frame): void;
  sendBroadcast(broadcast: OutgoingBroadcast): void;
}

/** One joined topic on one connection. */
export class Channel implements ChangeTarget {
  changeSubscriptions: ChangeSubscription[] = [];
  /** This channel's presence entry, while tracked. */
  tracked: PresenceEntry | null = null;
  /** Write permission per extension, asked of the database once per join (as Supabase caches it). */
  readonly sendAllowed = new Map<"broadcast" | "presence", boolean>();
  expiryTimer: NodeJS.Timeout | undefined;
  closed = false;

  constructor(
    readonly socket: ChannelSocket,
    /** The wire topic, `realtime:chat:…`. */
    readonly topic: string,
    /** The topic without the prefix, `chat:…`. */
    readonly subTopic: string,
    readonly joinRef: string | null,
    public claims: RealtimeClaims,
    readonly options: {
      broadcastSelf: boolean;
      broadcastAck: boolean;
      presenceEnabled: boolean;
    },
    public profile: Profile | null,
  ) {}

  get organizationId(): string | null {
    return this.claims.organizationId;
  }

  get userId(): string | null {
    return this.claims.sub;
  }

  /** A server push on this channel (carries the join ref, as Phoenix channel pushes do). */
  push(event: string, payload: unknown): void {
    this.socket.send({ joinRef: this.joinRef, ref: null, topic: this.topic, event, payload });
  }

  reply(ref: string | null, status: "ok" | "error", response: unknown = {}): void {
    this.socket.send({
      joinRef: this.joinRef,
      ref,
      topic: this.topic,
      event: "phx_reply",
      payload: { status, response },
    });
  }

  system(status: "ok" | "error", message: string, extension = "system"): void {
    this.push("system", { extension, status, message, channel: this.subTopic });
  }

  deliverChange(ids: number[], data: ChangeData): void {
    this.socket.send({
      joinRef: null,
      ref: null,
      topic: this.topic,
      event: "postgres_changes",
      payload: { ids, data },
    });
  }
}
