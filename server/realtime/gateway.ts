import "server-only";

import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { WebSocketServer, type WebSocket } from "ws";
import type { DatabaseHandle } from "@/db/client";
import { resolveClientIp } from "@/server/client-ip";
import { rateLimit, type RateLimit } from "@/server/limits/rate-limit";
import { refusalHold, type RefusalHold } from "@/server/limits/refusal-hold";
import { env } from "@/server/env";
import { canJoin, mayRead } from "./authorize";
import type { BusMessage, RealtimeBus } from "./bus";
import { CaptureClaims } from "./capture";
import { ChannelTable } from "./channel-table";
import { clientBroadcast } from "./client-broadcast";
import { Connection, DEFAULT_LIMITS, type ConnectionHost, type GatewayLimits } from "./connection";
import type { GatewayState } from "./gateway-state";
import { join } from "./join";
import { asRecord } from "./payload";
import { PostgresChangeDispatcher, type ChangeReference } from "./postgres-changes";
import { PresenceRegistry } from "./presence";
import { PresenceSync, sendPresenceDiff } from "./presence-sync";
import { PresenceView } from "./presence-view";
import { OutgoingBroadcast, parseVsn, type InboundFrame } from "./serializer";
import { SocketCounts } from "./socket-counts";
import { refreshToken } from "./token-expiry";
import {
  isPublishableKey,
  verifyRealtimeToken,
  type RealtimeClaims,
  type TokenCheck,
} from "./tokens";
import { chatTopic, isPresenceTopic, toWireTopic, userTopic } from "./topics";
import { LastSeenRecorder } from "./last-seen";
import { watchWorkspaceDepartures } from "./workspace-departures";

export const REALTIME_PATH = "/realtime/v1/websocket";
const CHANGES_CHANNEL = "parley_changes";
/** Notified with a session's id when its row is deleted (drizzle/0018). */
const SESSIONS_ENDED_CHANNEL = "parley_sessions_ended";
const API_KEYS_ENDED_CHANNEL = "parley_api_keys_ended";
const ALIVE_EVERY_MS = 15_000;
// A socket frame may carry a little framing around the largest payload allowed.
const MAX_FRAME_BYTES = 1024 * 1024;

export interface GatewayLogger {
  debug(details: Record<string, unknown>, message: string): void;
  warn(details: Record<string, unknown>, message: string): void;
  error(details: Record<string, unknown>, message: string): void;
}

export interface GatewayOptions {
  bus: RealtimeBus;
  /** The owner handle, for LISTEN and capture claims (system bookkeeping, never request data). */
  database: DatabaseHandle;
  logger: GatewayLogger;
  limits?: Partial<GatewayLimits>;
  /** Where new sockets are counted per address (shared by every instance through Redis). */
  connectWindow?: RateLimit;
  /** Where a 429 waits before it is sent (server/limits/refusal-hold.ts); the process's own by default. */
  refusalHold?: RefusalHold;
}

function httpReject(socket: Duplex, status: number, text: string, body: unknown): void {
  const json = JSON.stringify(body);
  socket.end(
    `HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Type: application/json\r\n` +
      `Content-Length: ${Buffer.byteLength(json)}\r\n\r\n${json}`,
  );
}

/**
 * Parley's realtime gateway: the Supabase Realtime protocol (Phoenix channels over
 * WebSocket) so the unmodified supabase-js client works against it. Authorization is asked
 * of the database as the token's user; the server publishes everything but typing.
 */
export class RealtimeGateway implements ConnectionHost {
  readonly limits: GatewayLimits;
  readonly presence = new PresenceRegistry();
  private readonly presenceView: PresenceView;
  private readonly wss = new WebSocketServer({
    noServer: true,
    maxPayload: MAX_FRAME_BYTES,
    perMessageDeflate: false,
  });
  private readonly connections = new Map<number, Connection>();
  private readonly sockets: SocketCounts;
  private readonly channels: ChannelTable;
  private readonly changes: PostgresChangeDispatcher;
  private readonly capture: CaptureClaims;
  private readonly state: GatewayState;
  private readonly presenceSync: PresenceSync;
  private changesQueue: Promise<void> = Promise.resolve();
  private stopListening: (() => Promise<void>) | undefined;
  private stopSessionWatch: (() => Promise<void>) | undefined;
  private stopKeyWatch: (() => Promise<void>) | undefined;
  private stopMembershipWatch: (() => Promise<void>) | undefined;
  private aliveTimer: NodeJS.Timeout | undefined;
  private nextConnectionId = 1;

  constructor(private readonly options: GatewayOptions) {
    this.limits = { ...DEFAULT_LIMITS, ...options.limits };
    this.sockets = new SocketCounts(this.limits);
    this.presenceView = new PresenceView(
      this.presence,
      (topic, diff) => sendPresenceDiff(this.channels, topic, diff),
      this.limits.presenceFlushMs,
    );
    const updateCapture = () => this.capture.update(this.changes.tablesInUse());
    const lastSeen = new LastSeenRecorder(options.database.db, (error) =>
      options.logger.error({ err: error }, "last seen not recorded"),
    );
    this.channels = new ChannelTable(
      options.bus,
      this.connections,
      updateCapture,
      (channel, change) => {
        if (isPresenceTopic(channel.subTopic) && channel.userId) {
          lastSeen.seen(channel.userId, change);
        }
      },
    );
    this.changes = new PostgresChangeDispatcher(
      () => this.channels.all(),
      (actor, chatId) => mayRead(actor, chatTopic(chatId)),
    );
    this.capture = new CaptureClaims(options.database.db, options.bus.instanceId, (error) =>
      options.logger.error({ err: error }, "realtime capture claim failed"),
    );
    this.state = {
      bus: options.bus,
      limits: this.limits,
      channels: this.channels,
      presence: this.presence,
      presenceView: this.presenceView,
      changes: this.changes,
      sockets: this.sockets,
      refusalHold: options.refusalHold ?? refusalHold,
      updateCapture,
    };
    this.presenceSync = new PresenceSync(this.state);
  }

  get bus(): RealtimeBus {
    return this.options.bus;
  }

  async start(): Promise<void> {
    const { bus, database, logger } = this.options;
    bus.setHandler((message, from) => this.onBusMessage(message, from));
    await bus.start();
    this.stopListening = await database.listen(CHANGES_CHANNEL, (payload) => {
      this.changesQueue = this.changesQueue
        .then(() => this.changes.dispatch(JSON.parse(payload) as ChangeReference))
        .catch((error: unknown) =>
          logger.error({ err: error }, "postgres_changes dispatch failed"),
        );
    });
    // Every instance listens itself: a session ending reaches all of them straight from the
    // database, whichever instance (or Better Auth call) deleted it.
    this.stopSessionWatch = await database.listen(SESSIONS_ENDED_CHANNEL, (sessionId) =>
      this.endSession(sessionId),
    );
    this.stopKeyWatch = await database.listen(API_KEYS_ENDED_CHANNEL, (keyId) =>
      this.endApiKey(keyId),
    );
    this.stopMembershipWatch = await watchWorkspaceDepartures(database, (left) =>
      this.leaveWorkspace(left.userId, left.organizationId),
    );
    if (bus.distributed) {
      bus.publish({ kind: "hello" });
      this.aliveTimer = setInterval(() => {
        bus.publish({ kind: "alive" });
        this.presenceSync.dropSilentPeers();
      }, ALIVE_EVERY_MS);
      this.aliveTimer.unref();
    }
  }

  /**
   * Whether the user has Parley open anywhere: tracked on a workspace's presence topic by a
   * page on this instance or any other (presence is shared between instances).
   */
  isOnline(userId: string): boolean {
    return this.presence.present(userId, isPresenceTopic);
  }

  /** Open sockets, joined channels and distinct topics on this instance (/admin/health). */
  stats(): { connections: number; channels: number; topics: number } {
    let channels = 0;
    const topics = new Set<string>();
    for (const channel of this.channels.all()) {
      channels++;
      topics.add(channel.subTopic);
    }
    return { connections: this.connections.size, channels, topics: topics.size };
  }

  async close(): Promise<void> {
    clearInterval(this.aliveTimer);
    this.presenceView.close();
    for (const connection of [...this.connections.values()])
      connection.close(1001, "server shutting down");
    this.wss.close();
    if (this.options.bus.distributed) this.options.bus.publish({ kind: "bye" });
    await this.capture.close();
    await this.stopListening?.();
    await this.stopSessionWatch?.();
    await this.stopKeyWatch?.();
    await this.stopMembershipWatch?.();
    await this.changesQueue;
    await this.options.bus.close();
  }

  /** Publishes a broadcast to a topic's subscribers on every instance. */
  broadcast(subTopic: string, event: string, payload: unknown, to?: string): void {
    this.options.bus.publish({
      kind: "broadcast",
      topic: subTopic,
      event,
      payload,
      binary: false,
      ...(to ? { to } : {}),
    });
  }

  /**
   * A session ended (sign-out, revocation, a ban, a password change or reset): every channel
   * joined with one of its tokens closes, and so does a socket opened with one.
   */
  endSession(sessionId: string): void {
    for (const channel of [...this.channels.all()]) {
      if (channel.claims.sessionId === sessionId) {
        this.channels.shutdown(channel, "Your session has ended: sign in again");
      }
    }
    for (const connection of [...this.connections.values()]) {
      if (connection.connectClaims.sessionId === sessionId) connection.close(1008, "session ended");
    }
  }

  /**
   * An API key stopped being usable (revoked, deleted, expired, its owner banned or leaving):
   * the channels joined with tokens minted for it close, and so does a socket opened with one.
   */
  endApiKey(keyId: string): void {
    for (const channel of [...this.channels.all()]) {
      if (channel.claims.apiKeyId === keyId) {
        this.channels.shutdown(channel, "This API key can no longer be used: get a new token");
      }
    }
    for (const connection of [...this.connections.values()]) {
      if (connection.connectClaims.apiKeyId === keyId) connection.close(1008, "API key ended");
    }
  }

  /**
   * A membership ended (leaving, removal): the channels its user joined in that workspace
   * close at once, and their own topic hears it, so their pages leave the workspace too.
   */
  leaveWorkspace(userId: string, organizationId: string): void {
    const notice = new OutgoingBroadcast(
      toWireTopic(userTopic(userId)),
      "workspace.left",
      { organizationId },
      false,
    );
    for (const channel of [...this.channels.all()]) {
      if (channel.userId !== userId) continue;
      if (channel.subTopic === userTopic(userId)) {
        channel.socket.sendBroadcast(notice);
      } else if (channel.organizationId === organizationId) {
        this.channels.shutdown(channel, "You are no longer a member of this workspace");
      }
    }
  }

  /** Asks every instance to re-check who may stay on a topic. */
  reauthorize(subTopic: string, userIds: string[] | null): void {
    this.options.bus.publish({ kind: "reauthorize", topic: subTopic, userIds });
  }

  // ---- connections -------------------------------------------------------------------

  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(req.url ?? "/", "http://localhost");
    const vsn = parseVsn(url.searchParams.get("vsn"));
    if (!vsn) {
      httpReject(socket, 400, "Bad Request", { error: "Unsupported serializer version" });
      return;
    }
    const header = req.headers["x-api-key"];
    const apikey = (Array.isArray(header) ? header[0] : header) ?? url.searchParams.get("apikey");
    if (!apikey) {
      httpReject(socket, 401, "Unauthorized", { error: "API key is required" });
      return;
    }
    const address =
      resolveClientIp(
        req.socket.remoteAddress,
        req.headers["x-forwarded-for"],
        env.trustedProxies,
      ) ?? "unknown";
    // Counted before anything else is done for the socket: a reconnect loop is refused for
    // the price of a counter, not of a token check and an upgrade.
    (this.options.connectWindow ?? rateLimit("realtime-connects"))
      .hit(address, this.limits.connectsPerMinute)
      .then(async (connects) => {
        if (!connects.allowed) {
          await this.state.refusalHold.pause(address);
          httpReject(socket, 429, "Too Many Requests", {
            error: `Too many connections a minute from this address; try again in ${connects.resetSeconds} s`,
          });
          return;
        }
        const check: TokenCheck = isPublishableKey(apikey)
          ? {
              ok: true,
              claims: {
                role: "anon",
                sub: null,
                sessionId: null,
                apiKeyId: null,
                organizationId: null,
                exp: Infinity,
              },
            }
          : await verifyRealtimeToken(apikey);
        if (!check.ok) {
          httpReject(socket, 401, "Unauthorized", { error: check.reason });
          return;
        }
        const refused = this.sockets.refusal(address, check.claims.sub === null);
        if (refused) {
          await this.state.refusalHold.pause(address);
          httpReject(socket, 429, "Too Many Requests", { error: refused });
          return;
        }
        this.wss.handleUpgrade(req, socket, head, (ws) =>
          this.accept(ws, vsn, check.claims, address),
        );
      })
      .catch((error: unknown) => {
        this.options.logger.error({ err: error }, "realtime upgrade failed");
        socket.destroy();
      });
  }

  private accept(
    ws: WebSocket,
    vsn: "1.0.0" | "2.0.0",
    claims: RealtimeClaims,
    address: string,
  ): void {
    const id = this.nextConnectionId++;
    const connection = new Connection(id, ws, vsn, claims, address, this);
    this.connections.set(id, connection);
    this.sockets.add(connection);
  }

  onConnectionClosed(connection: Connection): void {
    this.connections.delete(connection.id);
    this.sockets.remove(connection);
    for (const channel of [...connection.channels.values()]) this.channels.remove(channel);
  }

  logDebug(details: Record<string, unknown>, message: string): void {
    this.options.logger.debug(details, message);
  }

  async handleFrame(connection: Connection, frame: InboundFrame): Promise<void> {
    if (frame.event === "phx_join") {
      await join(this.state, connection, frame);
      return;
    }
    const channel = connection.channels.get(frame.topic);
    if (!channel) {
      connection.send({
        joinRef: frame.joinRef,
        ref: frame.ref,
        topic: frame.topic,
        event: "phx_reply",
        payload: { status: "error", response: { reason: "unmatched topic" } },
      });
      return;
    }
    // Phoenix ignores messages for an earlier join of the topic.
    if (frame.joinRef !== null && frame.joinRef !== channel.joinRef) return;
    switch (frame.event) {
      case "phx_leave":
        channel.reply(frame.ref, "ok");
        this.channels.close(channel);
        return;
      case "broadcast":
        await clientBroadcast(this.state, channel, frame);
        return;
      case "presence":
        await this.presenceSync.fromClient(channel, frame);
        return;
      case "access_token":
        await refreshToken(this.channels, channel, asRecord(frame.payload).access_token);
        return;
      default:
        channel.reply(frame.ref, "error", { reason: `unknown event ${frame.event}` });
    }
  }

  // ---- fan-out -----------------------------------------------------------------------------

  private onBusMessage(message: BusMessage, from: string): void {
    this.presenceSync.heardFrom(from);
    switch (message.kind) {
      case "broadcast": {
        // Most user topics of a chat's members have nobody on this instance.
        const channels = this.channels.subscribers(message.topic);
        if (!channels) return;
        const local = from === this.options.bus.instanceId;
        const broadcast = new OutgoingBroadcast(
          toWireTopic(message.topic),
          message.event,
          message.payload,
          message.binary,
        );
        for (const channel of channels) {
          if (local && message.originConnection === channel.socket.id) continue;
          if (message.to !== undefined && channel.userId !== message.to) continue;
          channel.socket.sendBroadcast(broadcast);
        }
        return;
      }
      case "presence":
        this.presenceSync.apply(from, message.topic, message.change);
        return;
      case "reauthorize":
        void this.recheck(message.topic, message.userIds);
        return;
      case "hello":
        this.presenceSync.greet(from);
        return;
      case "presence-snapshot":
        this.presenceSync.applySnapshot(from, message.topics);
        return;
      case "bye":
        this.presenceSync.dropPeer(from);
        return;
      case "alive":
        return;
    }
  }

  private async recheck(subTopic: string, userIds: string[] | null): Promise<void> {
    const channels = [...(this.channels.subscribers(subTopic) ?? [])].filter(
      (c) => userIds === null || (c.userId !== null && userIds.includes(c.userId)),
    );
    for (const channel of channels) {
      try {
        if (channel.closed || (await canJoin(channel.claims, subTopic))) continue;
        this.channels.shutdown(
          channel,
          `You no longer have permission to read from this Channel topic: ${subTopic}`,
        );
      } catch (error) {
        this.options.logger.error(
          { err: error, topic: subTopic },
          "realtime re-authorization failed",
        );
      }
    }
  }
}
