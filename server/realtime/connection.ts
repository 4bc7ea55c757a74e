import "server-only";

import type { WebSocket } from "ws";
import { type Channel, type ChannelSocket } from "./channel";
import {
  decodeFrame,
  encodeFrame,
  ProtocolError,
  type Frame,
  type OutgoingBroadcast,
  type InboundFrame,
  type Vsn,
} from "./serializer";
import type { CountedSocket } from "./socket-counts";
import type { RealtimeClaims } from "./tokens";

/** What a connection asks of the gateway. */
export interface ConnectionHost {
  readonly limits: GatewayLimits;
  handleFrame(connection: Connection, frame: InboundFrame): Promise<void>;
  onConnectionClosed(connection: Connection): void;
  logDebug(details: Record<string, unknown>, message: string): void;
}

export interface GatewayLimits {
  /** A socket that sends no heartbeat for this long is closed. */
  idleTimeoutMs: number;
  maxChannels: number;
  maxPayloadBytes: number;
  /** Frames a socket may send a second, heartbeats and malformed ones included. */
  maxMessagesPerSecond: number;
  /** track/untrack calls per connection per 30 seconds. */
  presenceCallsPer30s: number;
  /** How long presence changes gather before one diff per topic goes out. */
  presenceFlushMs: number;
  /** Channel joins per connection per minute. */
  joinsPerMinute: number;
  /** New sockets a client address may open a minute (429 past it, before anything else). */
  connectsPerMinute: number;
  maxSocketsPerUser: number;
  maxSocketsPerAddress: number;
  /** Of those, sockets that have not joined as a user yet. */
  maxAnonymousSocketsPerAddress: number;
  /** A socket that has joined nothing as a user by then is closed. */
  anonymousGraceMs: number;
}

export const DEFAULT_LIMITS: GatewayLimits = {
  idleTimeoutMs: 60_000,
  maxChannels: 100,
  maxPayloadBytes: 256 * 1024,
  maxMessagesPerSecond: 100,
  presenceCallsPer30s: 10,
  presenceFlushMs: 200,
  joinsPerMinute: 120,
  connectsPerMinute: 600,
  maxSocketsPerUser: 20,
  maxSocketsPerAddress: 1000,
  maxAnonymousSocketsPerAddress: 20,
  anonymousGraceMs: 30_000,
};

/** One WebSocket: framing, heartbeats, rate limits, and the channels joined on it. */
export class Connection implements ChannelSocket, CountedSocket {
  /** Joined channels by wire topic. */
  readonly channels = new Map<string, Channel>();
  private lastHeartbeat = Date.now();
  private idleTimer: NodeJS.Timeout;
  // Frames are handled one at a time, in order: a join finishes before the next frame.
  private queue: Promise<void> = Promise.resolve();
  private windowStart = Date.now();
  private windowCount = 0;
  private presenceCalls: number[] = [];
  private joins: number[] = [];
  private readonly anonymousTimer: NodeJS.Timeout | undefined;
  /** The user this socket counts for (`SocketCounts`), once it has one. */
  userId: string | null;
  closed = false;

  constructor(
    readonly id: number,
    private readonly ws: WebSocket,
    readonly vsn: Vsn,
    /** The claims of the connect-time key (`apikey`). */
    readonly connectClaims: RealtimeClaims,
    /** The client address, as the HTTP layer resolves it. */
    readonly address: string,
    private readonly host: ConnectionHost,
  ) {
    this.userId = connectClaims.sub;
    ws.on("message", (data, isBinary) => this.onMessage(data as Buffer, isBinary));
    ws.on("close", () => this.onClose());
    ws.on("error", () => this.onClose());
    const { idleTimeoutMs, anonymousGraceMs } = host.limits;
    this.idleTimer = setInterval(
      () => {
        if (Date.now() - this.lastHeartbeat > idleTimeoutMs) this.close(1000, "heartbeat timeout");
      },
      Math.max(250, Math.floor(idleTimeoutMs / 4)),
    );
    this.idleTimer.unref();
    if (this.userId === null) {
      // Heartbeats alone do not keep a socket that never became anyone's.
      this.anonymousTimer = setTimeout(() => {
        if (this.userId === null) this.close(1008, "no channel joined as a user");
      }, anonymousGraceMs);
      this.anonymousTimer.unref();
    }
  }

  send(frame: Frame): void {
    if (this.closed) return;
    this.ws.send(encodeFrame(frame, this.vsn));
  }

  sendBroadcast(broadcast: OutgoingBroadcast): void {
    if (this.closed) return;
    const { data, binary } = broadcast.encodedFor(this.vsn);
    this.ws.send(data, { binary });
  }

  /** Counts a presence call; false once the connection is over its limit. */
  allowPresenceCall(): boolean {
    const now = Date.now();
    this.presenceCalls = this.presenceCalls.filter((t) => now - t < 30_000);
    this.presenceCalls.push(now);
    return this.presenceCalls.length <= this.host.limits.presenceCallsPer30s;
  }

  /** Counts a join; false once the connection is over its joins a minute. */
  allowJoin(): boolean {
    const now = Date.now();
    this.joins = this.joins.filter((t) => now - t < 60_000);
    this.joins.push(now);
    return this.joins.length <= this.host.limits.joinsPerMinute;
  }

  close(code = 1000, reason = ""): void {
    if (this.closed) return;
    this.ws.close(code, reason);
    this.onClose();
  }

  private onMessage(data: Buffer, isBinary: boolean): void {
    if (this.closed) return;
    // Every frame counts, heartbeats and ones that do not parse included.
    if (!this.withinRate()) {
      this.overRate();
      return;
    }
    let frame: InboundFrame;
    try {
      frame = decodeFrame(data, isBinary, this.vsn);
    } catch (error) {
      if (!(error instanceof ProtocolError)) throw error;
      this.host.logDebug({ connection: this.id, reason: error.message }, "dropped a bad frame");
      return;
    }
    if (frame.topic === "phoenix" && frame.event === "heartbeat") {
      this.lastHeartbeat = Date.now();
      this.send({
        joinRef: null,
        ref: frame.ref,
        topic: "phoenix",
        event: "phx_reply",
        payload: { status: "ok", response: {} },
      });
      return;
    }
    this.queue = this.queue
      .then(() => this.host.handleFrame(this, frame))
      .catch((error: unknown) => {
        this.host.logDebug({ connection: this.id, err: error }, "frame handling failed");
        // A failure is the channel's crash: the client rejoins.
        const channel = this.channels.get(frame.topic);
        if (channel) {
          this.send({
            joinRef: channel.joinRef,
            ref: channel.joinRef,
            topic: frame.topic,
            event: "phx_error",
            payload: { reason: "channel_crash" },
          });
        } else if (frame.event === "phx_join") {
          this.send({
            joinRef: frame.joinRef,
            ref: frame.ref,
            topic: frame.topic,
            event: "phx_reply",
            payload: { status: "error", response: { reason: "Internal error, try again" } },
          });
        }
      });
  }

  private withinRate(): boolean {
    const now = Date.now();
    if (now - this.windowStart >= 1000) {
      this.windowStart = now;
      this.windowCount = 0;
    }
    this.windowCount += 1;
    return this.windowCount <= this.host.limits.maxMessagesPerSecond;
  }

  private overRate(): void {
    for (const channel of this.channels.values()) {
      channel.system("error", "Too many messages per second");
      this.send({
        joinRef: channel.joinRef,
        ref: channel.joinRef,
        topic: channel.topic,
        event: "phx_close",
        payload: {},
      });
    }
    this.close(1008, "Too many messages per second");
  }

  private onClose(): void {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.idleTimer);
    clearTimeout(this.anonymousTimer);
    this.host.onConnectionClosed(this);
  }
}
