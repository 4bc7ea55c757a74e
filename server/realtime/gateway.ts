import "server-only";

import { randomBytes } from "node:crypto";
import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { WebSocketServer, type WebSocket } from "ws";
import type { DatabaseHandle } from "@/db/client";
import { canJoin, canSend, loadProfile } from "./authorize";
import type { BusMessage, RealtimeBus } from "./bus";
import { CaptureClaims } from "./capture";
import { Channel } from "./channel";
import { Connection, DEFAULT_LIMITS, type ConnectionHost, type GatewayLimits } from "./connection";
import { parseBindings, PostgresChangeDispatcher, type ChangeReference } from "./postgres-changes";
import { PresenceRegistry, toPresenceState, type PresenceChange } from "./presence";
import { OutgoingBroadcast, parseVsn, type InboundFrame } from "./serializer";
import {
  isPublishableKey,
  verifyRealtimeToken,
  type RealtimeClaims,
  type TokenCheck,
} from "./tokens";
import { chatTopic, CLIENT_BROADCAST_EVENTS, fromWireTopic, toWireTopic } from "./topics";

export const REALTIME_PATH = "/realtime/v1/websocket";
const CHANGES_CHANNEL = "parley_changes";
const ALIVE_EVERY_MS = 15_000;
const PEER_TIMEOUT_MS = 45_000;
// A socket frame may carry a little framing around the largest payload allowed.
const MAX_FRAME_BYTES = 1024 * 1024;
// setTimeout's ceiling; longer expiries are re-armed.
const MAX_TIMER_MS = 2 ** 31 - 1;

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
}

const asRecord = (value: unknown): Record<string, unknown> =>
  value && typeof value === "object" && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
const truthy = (value: unknown) => value === true || value === "true";

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
  private readonly wss = new WebSocketServer({
    noServer: true,
    maxPayload: MAX_FRAME_BYTES,
    perMessageDeflate: false,
  });
  /** Sub-topic → joined channels on this instance. */
  private readonly topics = new Map<string, Set<Channel>>();
  private readonly connections = new Map<number, Connection>();
  private readonly changes: PostgresChangeDispatcher;
  private readonly capture: CaptureClaims;
  private readonly peers = new Map<string, number>();
  private changesQueue: Promise<void> = Promise.resolve();
  private stopListening: (() => Promise<void>) | undefined;
  private aliveTimer: NodeJS.Timeout | undefined;
  private nextConnectionId = 1;

  constructor(private readonly options: GatewayOptions) {
    this.limits = { ...DEFAULT_LIMITS, ...options.limits };
    this.changes = new PostgresChangeDispatcher(
      () => this.allChannels(),
      (userId, chatId) =>
        canJoin({ role: "authenticated", sub: userId, exp: Infinity }, chatTopic(chatId)),
    );
    this.capture = new CaptureClaims(options.database.db, options.bus.instanceId, (error) =>
      options.logger.error({ err: error }, "realtime capture claim failed"),
    );
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
    if (bus.distributed) {
      bus.publish({ kind: "hello" });
      this.aliveTimer = setInterval(() => {
        bus.publish({ kind: "alive" });
        this.dropSilentPeers();
      }, ALIVE_EVERY_MS);
      this.aliveTimer.unref();
    }
  }

  async close(): Promise<void> {
    clearInterval(this.aliveTimer);
    for (const connection of [...this.connections.values()])
      connection.close(1001, "server shutting down");
    this.wss.close();
    if (this.options.bus.distributed) this.options.bus.publish({ kind: "bye" });
    await this.capture.close();
    await this.stopListening?.();
    await this.changesQueue;
    await this.options.bus.close();
  }

  /** Publishes a broadcast to a topic's subscribers on every instance. */
  broadcast(subTopic: string, event: string, payload: unknown): void {
    this.options.bus.publish({ kind: "broadcast", topic: subTopic, event, payload, binary: false });
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
    const verified: Promise<TokenCheck> = isPublishableKey(apikey)
      ? Promise.resolve({ ok: true, claims: { role: "anon", sub: null, exp: Infinity } })
      : verifyRealtimeToken(apikey);
    verified
      .then((check) => {
        if (!check.ok) {
          httpReject(socket, 401, "Unauthorized", { error: check.reason });
          return;
        }
        this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws, vsn, check.claims));
      })
      .catch((error: unknown) => {
        this.options.logger.error({ err: error }, "realtime upgrade failed");
        socket.destroy();
      });
  }

  private accept(ws: WebSocket, vsn: "1.0.0" | "2.0.0", claims: RealtimeClaims): void {
    const id = this.nextConnectionId++;
    this.connections.set(id, new Connection(id, ws, vsn, claims, this));
  }

  onConnectionClosed(connection: Connection): void {
    this.connections.delete(connection.id);
    for (const channel of [...connection.channels.values()]) this.removeChannel(channel);
  }

  logDebug(details: Record<string, unknown>, message: string): void {
    this.options.logger.debug(details, message);
  }

  async handleFrame(connection: Connection, frame: InboundFrame): Promise<void> {
    if (frame.event === "phx_join") {
      await this.join(connection, frame);
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
        this.closeChannel(channel);
        return;
      case "broadcast":
        await this.clientBroadcast(channel, frame);
        return;
      case "presence":
        await this.clientPresence(channel, frame);
        return;
      case "access_token":
        await this.refreshToken(channel, asRecord(frame.payload).access_token);
        return;
      default:
        channel.reply(frame.ref, "error", { reason: `unknown event ${frame.event}` });
    }
  }

  // ---- join ------------------------------------------------------------------------------

  private async join(connection: Connection, frame: InboundFrame): Promise<void> {
    const joinError = (reason: string) =>
      connection.send({
        joinRef: frame.joinRef,
        ref: frame.ref,
        topic: frame.topic,
        event: "phx_reply",
        payload: { status: "error", response: { reason } },
      });
    const subTopic = fromWireTopic(frame.topic);
    if (subTopic === null) {
      joinError(`TopicNotFound: topics start with realtime:`);
      return;
    }
    const payload = asRecord(frame.payload);
    const config = asRecord(payload.config);
    const existing = connection.channels.get(frame.topic);
    if (!existing && connection.channels.size >= this.limits.maxChannels) {
      joinError("ChannelRateLimitReached: Too many channels");
      return;
    }
    const check = await this.channelClaims(connection, payload.access_token ?? payload.user_token);
    if (!check.ok) {
      joinError(`InvalidJWTToken: ${check.reason}`);
      return;
    }
    if (!truthy(config.private)) {
      joinError(
        `PrivateOnly: only private channels are served; join ${subTopic} with private: true`,
      );
      return;
    }
    if (!(await canJoin(check.claims, subTopic))) {
      joinError(
        `Unauthorized: You do not have permissions to read from this Channel topic: ${subTopic}`,
      );
      return;
    }
    const bindings = await parseBindings(config.postgres_changes, this.changes.columnsOf);
    const broadcast = asRecord(config.broadcast);
    const presence = asRecord(config.presence);
    const profile = check.claims.sub ? await loadProfile(check.claims.sub) : null;
    // The socket may have gone while the database answered.
    if (connection.closed) return;

    // A second join of a topic replaces the first (Phoenix closes the old one).
    if (existing) this.closeChannel(existing);
    const channel = new Channel(
      connection,
      frame.topic,
      subTopic,
      frame.joinRef,
      check.claims,
      {
        broadcastSelf: truthy(broadcast.self),
        broadcastAck: truthy(broadcast.ack),
        presenceEnabled: truthy(presence.enabled),
      },
      profile,
    );
    channel.changeSubscriptions = bindings.subscriptions;
    connection.channels.set(frame.topic, channel);
    let set = this.topics.get(subTopic);
    if (!set) {
      set = new Set();
      this.topics.set(subTopic, set);
    }
    set.add(channel);
    // The triggers must be notifying before the client hears it is subscribed.
    if (bindings.subscriptions.length) await this.capture.update(this.changes.tablesInUse());
    this.armExpiry(channel);

    channel.reply(frame.ref, "ok", { postgres_changes: bindings.reply });
    if (bindings.reply.length) {
      if (bindings.subscriptions.length) {
        channel.system("ok", "Subscribed to PostgreSQL", "postgres_changes");
      }
      for (const reason of bindings.errors) {
        channel.system(
          "error",
          `Unable to subscribe to changes with given parameters: ${reason}`,
          "postgres_changes",
        );
      }
    }
    if (channel.options.presenceEnabled) {
      channel.push("presence_state", toPresenceState(this.presence.entries(subTopic)));
    }
  }

  /** The token a channel uses: its own, else the connection's (`sb_` keys mean none). */
  private async channelClaims(connection: Connection, token: unknown): Promise<TokenCheck> {
    if (typeof token === "string" && token !== "" && !isPublishableKey(token)) {
      return verifyRealtimeToken(token);
    }
    return { ok: true, claims: connection.connectClaims };
  }

  private armExpiry(channel: Channel): void {
    clearTimeout(channel.expiryTimer);
    const remaining = channel.claims.exp * 1000 - Date.now();
    if (!Number.isFinite(remaining)) return;
    channel.expiryTimer = setTimeout(
      () => {
        if (channel.claims.exp * 1000 > Date.now()) {
          this.armExpiry(channel);
          return;
        }
        const ago = Math.max(0, Math.floor(Date.now() / 1000 - channel.claims.exp));
        this.shutdownChannel(channel, `Token has expired ${ago} seconds ago`);
      },
      Math.min(Math.max(0, remaining), MAX_TIMER_MS),
    );
    channel.expiryTimer.unref();
  }

  // ---- channel lifecycle -----------------------------------------------------------------

  /** Ends a channel for good: a system message saying why, then phx_close. */
  private shutdownChannel(channel: Channel, message: string, status: "ok" | "error" = "error") {
    if (channel.closed) return;
    channel.system(status, message);
    this.closeChannel(channel);
  }

  private closeChannel(channel: Channel): void {
    if (channel.closed) return;
    channel.socket.send({
      joinRef: channel.joinRef,
      ref: channel.joinRef,
      topic: channel.topic,
      event: "phx_close",
      payload: {},
    });
    this.removeChannel(channel);
  }

  private removeChannel(channel: Channel): void {
    if (channel.closed) return;
    channel.closed = true;
    clearTimeout(channel.expiryTimer);
    const connection = this.connections.get(channel.socket.id);
    if (connection?.channels.get(channel.topic) === channel)
      connection.channels.delete(channel.topic);
    const set = this.topics.get(channel.subTopic);
    set?.delete(channel);
    if (set?.size === 0) this.topics.delete(channel.subTopic);
    this.untrack(channel);
    if (channel.changeSubscriptions.length) {
      channel.changeSubscriptions = [];
      void this.capture.update(this.changes.tablesInUse()).catch(() => {});
    }
  }

  private untrack(channel: Channel): void {
    if (!channel.tracked) return;
    this.options.bus.publish({
      kind: "presence",
      topic: channel.subTopic,
      change: { joins: [], leaves: [channel.tracked] },
    });
    channel.tracked = null;
  }

  private *allChannels(): Iterable<Channel> {
    for (const set of this.topics.values()) yield* set;
  }

  // ---- client messages -------------------------------------------------------------------

  private async allowedToSend(channel: Channel, extension: "broadcast" | "presence") {
    let allowed = channel.sendAllowed.get(extension);
    if (allowed === undefined) {
      allowed = await canSend(channel.claims, channel.subTopic, extension);
      channel.sendAllowed.set(extension, allowed);
    }
    return allowed;
  }

  private async clientBroadcast(channel: Channel, frame: InboundFrame): Promise<void> {
    const message = asRecord(frame.payload);
    const event = message.event;
    const ack = channel.options.broadcastAck;
    const refuse = (reason: string) => {
      if (ack) channel.reply(frame.ref, "error", { reason });
    };
    if (typeof event !== "string") {
      refuse("A broadcast needs an event name");
      return;
    }
    const isService = channel.claims.role === "service_role";
    if (!isService && !CLIENT_BROADCAST_EVENTS.has(event)) {
      refuse(`Unauthorized: clients may only broadcast ${[...CLIENT_BROADCAST_EVENTS].join(", ")}`);
      return;
    }
    if (!(await this.allowedToSend(channel, "broadcast"))) {
      refuse(
        `Unauthorized: You do not have permissions to write to this Channel topic: ${channel.subTopic}`,
      );
      return;
    }
    const body = message.payload ?? {};
    if (typeof body !== "object" || Array.isArray(body) || body === null) {
      refuse("A broadcast payload must be an object");
      return;
    }
    if (Buffer.byteLength(JSON.stringify(body)) > this.limits.maxPayloadBytes) {
      if (ack) refuse("Payload too large");
      else channel.system("error", "Payload too large");
      return;
    }
    // Who sent it is the gateway's to say, never the client's.
    const stamped = isService
      ? body
      : { ...body, userId: channel.userId, name: channel.profile?.name ?? null };
    this.options.bus.publish({
      kind: "broadcast",
      topic: channel.subTopic,
      event,
      payload: stamped,
      binary: frame.binary,
      originConnection: channel.options.broadcastSelf ? undefined : channel.socket.id,
    });
    if (ack) channel.reply(frame.ref, "ok");
  }

  private async clientPresence(channel: Channel, frame: InboundFrame): Promise<void> {
    const message = asRecord(frame.payload);
    const connection = this.connections.get(channel.socket.id);
    if (connection && !connection.allowPresenceCall()) {
      this.shutdownChannel(channel, "Client presence rate limit exceeded");
      return;
    }
    if (!channel.userId || !(await this.allowedToSend(channel, "presence"))) {
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
        channel.tracked = {
          key: channel.userId,
          meta: {
            phx_ref: randomBytes(9).toString("base64url"),
            userId: channel.userId,
            name: channel.profile?.name ?? null,
            image: channel.profile?.image ?? null,
            onlineAt: new Date().toISOString(),
          },
        };
        this.options.bus.publish({
          kind: "presence",
          topic: channel.subTopic,
          change: { joins: [channel.tracked], leaves: [] },
        });
      }
      channel.reply(frame.ref, "ok");
      return;
    }
    if (message.event === "untrack") {
      this.untrack(channel);
      channel.reply(frame.ref, "ok");
      return;
    }
    channel.reply(frame.ref, "error", { reason: "Presence event must be track or untrack" });
  }

  private async refreshToken(channel: Channel, token: unknown): Promise<void> {
    if (typeof token !== "string" || token === "" || isPublishableKey(token)) return;
    const check = await verifyRealtimeToken(token);
    if (!check.ok) {
      this.shutdownChannel(channel, check.reason);
      return;
    }
    const before = channel.userId;
    if (!(await canJoin(check.claims, channel.subTopic))) {
      this.shutdownChannel(
        channel,
        `You no longer have permission to read from this Channel topic: ${channel.subTopic}`,
      );
      return;
    }
    channel.claims = check.claims;
    channel.sendAllowed.clear();
    if (check.claims.sub !== before) {
      channel.profile = check.claims.sub ? await loadProfile(check.claims.sub) : null;
      this.untrack(channel);
    }
    this.armExpiry(channel);
  }

  // ---- fan-out -----------------------------------------------------------------------------

  private onBusMessage(message: BusMessage, from: string): void {
    if (from !== this.options.bus.instanceId) this.peers.set(from, Date.now());
    switch (message.kind) {
      case "broadcast": {
        // Most user topics of a chat's members have nobody on this instance.
        const channels = this.topics.get(message.topic);
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
          channel.socket.sendBroadcast(broadcast);
        }
        return;
      }
      case "presence":
        this.applyPresence(from, message.topic, message.change);
        return;
      case "reauthorize":
        void this.recheck(message.topic, message.userIds);
        return;
      case "hello":
        if (from !== this.options.bus.instanceId) {
          this.options.bus.publish({
            kind: "presence-snapshot",
            topics: this.presence.ownedBy(this.options.bus.instanceId),
          });
        }
        return;
      case "presence-snapshot":
        for (const { topic, entries } of message.topics) {
          this.applyPresence(from, topic, { joins: entries, leaves: [] });
        }
        return;
      case "bye":
        this.dropPeer(from);
        return;
      case "alive":
        return;
    }
  }

  private applyPresence(owner: string, topic: string, change: PresenceChange): void {
    this.sendPresenceDiff(topic, this.presence.apply(owner, topic, change));
  }

  private sendPresenceDiff(topic: string, applied: PresenceChange): void {
    if (!applied.joins.length && !applied.leaves.length) return;
    const diff = { joins: toPresenceState(applied.joins), leaves: toPresenceState(applied.leaves) };
    for (const channel of this.topics.get(topic) ?? []) {
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

  private dropPeer(peer: string): void {
    this.peers.delete(peer);
    for (const { topic, change } of this.presence.dropOwner(peer)) {
      if (!change.leaves.length) continue;
      this.sendPresenceDiff(topic, change);
    }
  }

  private dropSilentPeers(): void {
    const now = Date.now();
    for (const owner of this.presence.owners()) {
      if (owner === this.options.bus.instanceId) continue;
      if (now - (this.peers.get(owner) ?? 0) > PEER_TIMEOUT_MS) this.dropPeer(owner);
    }
  }

  private async recheck(subTopic: string, userIds: string[] | null): Promise<void> {
    const channels = [...(this.topics.get(subTopic) ?? [])].filter(
      (c) => userIds === null || (c.userId !== null && userIds.includes(c.userId)),
    );
    for (const channel of channels) {
      try {
        if (channel.closed || (await canJoin(channel.claims, subTopic))) continue;
        this.shutdownChannel(
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
