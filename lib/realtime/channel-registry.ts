import type {
  RealtimeChannel,
  RealtimeChannelSendResponse,
  REALTIME_SUBSCRIBE_STATES,
  SupabaseClient,
} from "@supabase/supabase-js";
import type { PresenceMeta } from "./events";

export type SubscribeStatus = `${REALTIME_SUBSCRIBE_STATES}`;
/**
 * What `presenceState()` holds: each key's metas, one per tracked channel (a user's tabs).
 * Parley's gateway sends one per user and fills it itself; hosted Realtime passes on
 * whatever each client tracked, so nothing in it is more than a claim (see `toOnline`).
 */
export type PresenceState = Record<string, Partial<PresenceMeta>[]>;

/** Who this browser is, as it tells others through presence. */
export interface PresenceProfile {
  userId: string;
  name: string;
  image: string | null;
}

export interface ChannelListener {
  onBroadcast?(event: string, payload: Record<string, unknown>): void;
  /** Every status of the shared channel; SUBSCRIBED again after each rejoin. */
  onStatus?(status: SubscribeStatus, error?: Error): void;
  onPresence?(state: PresenceState): void;
}

export interface AcquireOptions {
  /** Join with presence enabled (settled by whoever opens the topic first). */
  presence?: boolean;
  /** Keep this user tracked on the topic while this handle is held. */
  track?: boolean;
}

export interface ChannelHandle {
  /** A client broadcast (typing); skipped while the channel is not joined. */
  send(event: string, payload?: Record<string, unknown>): Promise<SendResult>;
  release(): void;
}

export type SendResult = RealtimeChannelSendResponse | "skipped";

export interface ChannelRegistryOptions {
  /**
   * The signed-in user: the presence key and what is tracked. Hosted Realtime keys presence
   * by the join's `presence.key` (a random UUID when it is empty) and shares the tracked
   * payload as the meta, so both must name the user for the online list to show them.
   */
  self?: PresenceProfile;
  /** How long an unused channel stays open, so a remount (Strict Mode, navigation) reuses it. */
  releaseDelayMs?: number;
  /** Waits before reopening a channel the server closed (token expiry, lost access). */
  reopenDelaysMs?: number[];
}

interface Entry {
  topic: string;
  presence: boolean;
  listeners: Set<ChannelListener>;
  trackers: number;
  /** When this user came online on the topic, kept across re-tracks of the same join. */
  onlineAt?: string;
  channel?: RealtimeChannel;
  status?: SubscribeStatus;
  reopens: number;
  closeTimer?: ReturnType<typeof setTimeout>;
  reopenTimer?: ReturnType<typeof setTimeout>;
  disposed: boolean;
}

/**
 * One supabase-js channel per topic, shared by every component that wants it. supabase-js
 * itself returns the existing channel for a topic but ignores a second `subscribe()` (its
 * callback never runs) and cannot remove one listener, so sharing needs this layer:
 * reference counts, one subscribe whose status and events fan out, and a short grace period
 * before leaving, so React Strict Mode's mount–unmount–mount never opens a second channel.
 */
export class ChannelRegistry {
  private readonly entries = new Map<string, Entry>();
  /** Topics whose previous channel is still leaving: a new one must wait for it. */
  private readonly leaving = new Map<string, Promise<unknown>>();
  private readonly releaseDelayMs: number;
  private readonly reopenDelaysMs: number[];
  private self: PresenceProfile | undefined;

  constructor(
    private readonly client: SupabaseClient,
    options: ChannelRegistryOptions = {},
  ) {
    this.releaseDelayMs = options.releaseDelayMs ?? 1_000;
    this.reopenDelaysMs = options.reopenDelaysMs ?? [1_000, 5_000, 15_000, 60_000];
    this.self = options.self;
  }

  /**
   * A new name or picture for the same user: tracked channels track again, so hosted
   * Realtime shows it (Parley's gateway reads the profile itself and keeps its own).
   */
  setSelf(self: PresenceProfile): void {
    const previous = this.self;
    this.self = self;
    if (!previous || previous.userId !== self.userId) return;
    if (previous.name === self.name && previous.image === self.image) return;
    for (const entry of this.entries.values()) {
      if (entry.trackers > 0 && entry.status === "SUBSCRIBED" && entry.channel) {
        void this.track(entry, entry.channel);
      }
    }
  }

  acquire(topic: string, listener: ChannelListener, options: AcquireOptions = {}): ChannelHandle {
    if (options.track && !this.self) throw new Error("Tracking presence needs the user (self)");
    let entry = this.entries.get(topic);
    if (!entry) {
      entry = {
        topic,
        presence: options.presence === true || options.track === true,
        listeners: new Set(),
        trackers: 0,
        reopens: 0,
        disposed: false,
      };
      this.entries.set(topic, entry);
      void this.open(entry);
    } else if (entry.closeTimer) {
      clearTimeout(entry.closeTimer);
      entry.closeTimer = undefined;
    }
    const current = entry;
    current.listeners.add(listener);
    if (options.track) {
      current.trackers += 1;
      if (current.trackers === 1 && current.status === "SUBSCRIBED" && current.channel) {
        current.onlineAt = undefined;
        void this.track(current, current.channel);
      }
    }
    // A late joiner of a live channel still needs its "joined" (chat-sync fills on it).
    if (current.status === "SUBSCRIBED") {
      queueMicrotask(() => {
        if (!current.listeners.has(listener) || current.status !== "SUBSCRIBED") return;
        listener.onStatus?.("SUBSCRIBED");
        if (current.presence && current.channel) listener.onPresence?.(presenceOf(current.channel));
      });
    }

    let released = false;
    return {
      send: async (event, payload = {}) => {
        const channel = current.channel;
        if (released || current.status !== "SUBSCRIBED" || !channel) return "skipped";
        return channel.send({ type: "broadcast", event, payload });
      },
      release: () => {
        if (released) return;
        released = true;
        current.listeners.delete(listener);
        if (options.track) {
          current.trackers -= 1;
          if (current.trackers === 0 && current.status === "SUBSCRIBED") {
            void current.channel?.untrack();
          }
        }
        if (current.listeners.size === 0) this.scheduleClose(current);
      },
    };
  }

  /** Leaves every channel now (sign-out, switching users). */
  async closeAll(): Promise<void> {
    const entries = [...this.entries.values()];
    this.entries.clear();
    await Promise.all(entries.map((entry) => this.close(entry)));
  }

  private async open(entry: Entry): Promise<void> {
    await this.leaving.get(entry.topic);
    // realtime-js only puts access_token in phx_join when it already holds a token
    // (protocol §1.1): settle the token first, or the join goes out anonymous.
    await this.client.realtime.setAuth().catch(() => undefined);
    if (entry.disposed) return;
    const channel = this.client.channel(entry.topic, {
      config: {
        private: true,
        ...(entry.presence ? { presence: { enabled: true, key: this.self?.userId ?? "" } } : {}),
      },
    });
    entry.channel = channel;
    channel.on("broadcast", { event: "*" }, (message) => {
      const payload: unknown = message.payload;
      const body = isRecord(payload) ? payload : {};
      for (const listener of [...entry.listeners]) listener.onBroadcast?.(message.event, body);
    });
    if (entry.presence) {
      channel.on("presence", { event: "sync" }, () => {
        const state = presenceOf(channel);
        for (const listener of [...entry.listeners]) listener.onPresence?.(state);
      });
    }
    channel.subscribe((status, error) => this.onStatus(entry, channel, status, error));
  }

  private onStatus(
    entry: Entry,
    channel: RealtimeChannel,
    status: SubscribeStatus,
    error?: Error,
  ): void {
    if (entry.channel !== channel) return;
    entry.status = status;
    if (status === "SUBSCRIBED") {
      entry.reopens = 0;
      // Presence lives in the server's channel process: every rejoin must track again.
      if (entry.trackers > 0) {
        entry.onlineAt = undefined;
        void this.track(entry, channel);
      }
    }
    for (const listener of [...entry.listeners]) listener.onStatus?.(status, error);
    // phx_close is final for a supabase-js channel (unlike phx_error, which rejoins), so a
    // channel someone still holds is opened anew: with a fresh token, if that was the cause.
    if (status === "CLOSED" && !entry.disposed) {
      entry.channel = undefined;
      const delay =
        this.reopenDelaysMs[Math.min(entry.reopens, this.reopenDelaysMs.length - 1)] ?? 60_000;
      entry.reopens += 1;
      entry.reopenTimer = setTimeout(() => {
        entry.reopenTimer = undefined;
        if (!entry.disposed) void this.open(entry);
      }, delay);
    }
  }

  /** Tracks the user with the metas the online list reads (hosted Realtime passes them on as is). */
  private track(entry: Entry, channel: RealtimeChannel): Promise<unknown> {
    const self = this.self;
    if (!self) return Promise.resolve();
    entry.onlineAt ??= new Date().toISOString();
    const meta: PresenceMeta = {
      userId: self.userId,
      name: self.name,
      image: self.image,
      onlineAt: entry.onlineAt,
    };
    return channel.track(meta);
  }

  private scheduleClose(entry: Entry): void {
    if (entry.closeTimer) clearTimeout(entry.closeTimer);
    entry.closeTimer = setTimeout(() => {
      entry.closeTimer = undefined;
      if (entry.listeners.size > 0 || this.entries.get(entry.topic) !== entry) return;
      this.entries.delete(entry.topic);
      void this.close(entry);
    }, this.releaseDelayMs);
  }

  private async close(entry: Entry): Promise<void> {
    entry.disposed = true;
    clearTimeout(entry.closeTimer);
    clearTimeout(entry.reopenTimer);
    const channel = entry.channel;
    entry.channel = undefined;
    if (!channel) return;
    const removal = this.client
      .removeChannel(channel)
      .catch(() => undefined)
      .finally(() => {
        if (this.leaving.get(entry.topic) === removal) this.leaving.delete(entry.topic);
      });
    this.leaving.set(entry.topic, removal);
    await removal;
  }
}

function presenceOf(channel: RealtimeChannel): PresenceState {
  return channel.presenceState<Partial<PresenceMeta>>();
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
