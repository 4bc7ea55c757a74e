import { randomBytes, randomUUID } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { jwtVerify, type JWTPayload } from "jose";
import { WebSocketServer, type WebSocket } from "ws";

/**
 * A STAND-IN for hosted Supabase Realtime, holding the rules Parley's browser code depends on
 * as supabase/realtime's sources state them (realtime-protocol.md §1.4, §1.7, §2.2):
 *
 * - presence is keyed by the join's `config.presence.key`; an empty or missing key becomes a
 *   generated UUID (`Join.presence_key/1`), so two channels never share it by accident;
 * - a tracked payload is the meta as it is, plus `phx_ref`: the server adds nothing and checks
 *   nothing in it (`PresenceHandler.track/2`); a key tracked from two channels has two metas;
 * - a join without `private: true` is refused on a private-only project ("PrivateOnly"), and
 *   lands on a topic of its own otherwise (`Tenants.tenant_topic/3`);
 * - a private join needs read access to the topic (RLS on realtime.messages, asked through
 *   `authorize`), a track needs presence write access, else an error reply;
 * - the token (`access_token`, else the `apikey`) must verify and carry `role` and `exp`;
 * - at most five track/untrack calls per channel per thirty seconds.
 *
 * Text frames of serializer 2.0.0 only (what realtime-js sends for joins and presence). It
 * is not Supabase: just enough of it to hold the app's realtime client to its rules.
 */
export type Claims = JWTPayload & { role?: unknown; sub?: string };

export interface RealtimeStandInOptions {
  jwtKey: Uint8Array;
  /** Refuse joins without `private: true`, as a project set to private-only does. */
  privateOnly?: boolean;
  /** What the realtime.messages policies allow this token on this topic. */
  authorize(claims: Claims, topic: string, extension: "broadcast" | "presence"): Promise<Access>;
}

export interface Access {
  read: boolean;
  write: boolean;
}

export interface RecordedJoin {
  topic: string;
  config: Record<string, unknown>;
  /** "ok", or the reason the join was refused. */
  outcome: string;
}

type Meta = Record<string, unknown> & { phx_ref: string };
type PresenceGroup = Record<string, { metas: Meta[] }>;

interface ChannelState {
  socket: WebSocket;
  topic: string;
  joinRef: string;
  pubsub: string;
  presenceEnabled: boolean;
  presenceKey: string;
  claims: Claims;
  tracked?: Meta;
  presenceCalls: number[];
}

export interface RealtimeStandIn {
  url: string;
  joins: RecordedJoin[];
  /** The presence of a topic as the server holds it (private channels' copy). */
  presence(topic: string): PresenceGroup;
  close(): Promise<void>;
}

const PRESENCE_CALLS_PER_WINDOW = 5;
const PRESENCE_WINDOW_MS = 30_000;

export async function startRealtimeStandIn(
  options: RealtimeStandInOptions,
): Promise<RealtimeStandIn> {
  const channels = new Set<ChannelState>();
  const joins: RecordedJoin[] = [];
  const http = createServer((_req, res) => void res.writeHead(404).end());
  const wss = new WebSocketServer({ noServer: true });

  http.on("upgrade", (req, socket, head) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    if (url.pathname !== "/realtime/v1/websocket") return socket.destroy();
    wss.handleUpgrade(req, socket, head, (ws) => {
      const apikey = url.searchParams.get("apikey") ?? "";
      ws.on("message", (data: Buffer, isBinary) => {
        if (isBinary) return;
        const frame = JSON.parse(data.toString()) as [
          string | null,
          string | null,
          string,
          string,
          Record<string, unknown>,
        ];
        void handle(ws, apikey, frame).catch(() => ws.terminate());
      });
      ws.on("close", () => {
        for (const channel of [...channels]) if (channel.socket === ws) leave(channel);
      });
    });
  });

  const send = (
    ws: WebSocket,
    joinRef: string | null,
    ref: string | null,
    topic: string,
    event: string,
    payload: unknown,
  ) => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify([joinRef, ref, topic, event, payload]));
  };

  const stateOf = (pubsub: string): PresenceGroup => {
    const state: PresenceGroup = {};
    for (const channel of channels) {
      if (channel.pubsub !== pubsub || !channel.tracked) continue;
      (state[channel.presenceKey] ??= { metas: [] }).metas.push(channel.tracked);
    }
    return state;
  };

  const diff = (pubsub: string, joins: PresenceGroup, leaves: PresenceGroup) => {
    for (const channel of channels) {
      if (channel.pubsub !== pubsub || !channel.presenceEnabled) continue;
      send(channel.socket, null, null, channel.topic, "presence_diff", { joins, leaves });
    }
  };

  const untrack = (channel: ChannelState) => {
    const old = channel.tracked;
    if (!old) return;
    channel.tracked = undefined;
    diff(channel.pubsub, {}, { [channel.presenceKey]: { metas: [old] } });
  };

  const leave = (channel: ChannelState) => {
    untrack(channel);
    channels.delete(channel);
  };

  const verify = async (token: string): Promise<Claims | string> => {
    try {
      const { payload } = await jwtVerify(token, options.jwtKey);
      if (typeof payload.role !== "string" || typeof payload.exp !== "number") {
        return "InvalidJWTToken: Fields `role` and `exp` are required in JWT";
      }
      return payload;
    } catch {
      return "InvalidJWTToken: Token is invalid";
    }
  };

  async function handle(
    ws: WebSocket,
    apikey: string,
    [joinRef, ref, topic, event, payload]: [
      string | null,
      string | null,
      string,
      string,
      Record<string, unknown>,
    ],
  ): Promise<void> {
    if (topic === "phoenix" && event === "heartbeat") {
      return send(ws, null, ref, topic, "phx_reply", { status: "ok", response: {} });
    }
    const current = [...channels].find((c) => c.socket === ws && c.topic === topic);
    const reply = (status: "ok" | "error", response: Record<string, unknown> = {}) =>
      send(ws, joinRef, ref, topic, "phx_reply", { status, response });

    if (event === "phx_join") {
      const config = asRecord(payload.config);
      const refuse = (reason: string) => {
        joins.push({ topic, config, outcome: reason });
        reply("error", { reason });
      };
      const token = typeof payload.access_token === "string" ? payload.access_token : apikey;
      const claims = await verify(token.startsWith("sb_") ? apikey : token);
      if (typeof claims === "string") return refuse(claims);
      const subTopic = topic.replace(/^realtime:/, "");
      const isPrivate = config.private === true || config.private === "true";
      if (!isPrivate && options.privateOnly) {
        return refuse("PrivateOnly: This project only allows private channels");
      }
      if (isPrivate && !(await options.authorize(claims, subTopic, "presence")).read) {
        return refuse(
          `Unauthorized: You do not have permissions to read from this Channel topic: ${subTopic}`,
        );
      }
      const presence = asRecord(config.presence);
      const key = presence.key;
      // A duplicate join replaces the channel, as Phoenix does.
      if (current) leave(current);
      const channel: ChannelState = {
        socket: ws,
        topic,
        joinRef: joinRef ?? "",
        pubsub: `${isPrivate ? "private" : "public"}:${subTopic}`,
        presenceEnabled: presence.enabled === true || presence.enabled === "true",
        presenceKey: typeof key === "string" && key !== "" ? key : randomUUID(),
        claims,
        presenceCalls: [],
      };
      channels.add(channel);
      joins.push({ topic, config, outcome: "ok" });
      reply("ok", { postgres_changes: [] });
      if (channel.presenceEnabled) {
        send(ws, channel.joinRef, null, topic, "presence_state", stateOf(channel.pubsub));
      }
      return;
    }

    if (!current || current.joinRef !== joinRef) {
      return reply("error", { reason: "unmatched topic" });
    }

    if (event === "phx_leave") {
      leave(current);
      reply("ok");
      return send(ws, current.joinRef, current.joinRef, topic, "phx_close", {});
    }

    if (event === "access_token") {
      const claims =
        typeof payload.access_token === "string" && (await verify(payload.access_token));
      if (claims && typeof claims !== "string") current.claims = claims;
      return;
    }

    if (event === "presence") {
      const now = Date.now();
      current.presenceCalls = current.presenceCalls.filter((t) => now - t < PRESENCE_WINDOW_MS);
      if (current.presenceCalls.length >= PRESENCE_CALLS_PER_WINDOW) {
        leave(current);
        send(ws, current.joinRef, null, topic, "system", {
          extension: "system",
          status: "error",
          message: "Client presence rate limit exceeded",
          channel: topic.replace(/^realtime:/, ""),
        });
        return send(ws, current.joinRef, current.joinRef, topic, "phx_close", {});
      }
      current.presenceCalls.push(now);
      if (payload.event === "untrack") {
        untrack(current);
        return reply("ok");
      }
      if (payload.event !== "track") return reply("error");
      const subTopic = topic.replace(/^realtime:/, "");
      if (
        current.pubsub.startsWith("private:") &&
        !(await options.authorize(current.claims, subTopic, "presence")).write
      ) {
        return reply("error");
      }
      const tracked = payload.payload ?? {};
      if (typeof tracked !== "object" || tracked === null || Array.isArray(tracked)) {
        return reply("error", { reason: "Presence track payload must be a map" });
      }
      const old = current.tracked;
      if (old && sameMeta(old, tracked as Record<string, unknown>)) return reply("ok");
      const meta: Meta = {
        ...(tracked as Record<string, unknown>),
        phx_ref: randomBytes(9).toString("base64url"),
        ...(old ? { phx_ref_prev: old.phx_ref } : {}),
      };
      current.tracked = meta;
      const group = (m: Meta): PresenceGroup => ({ [current.presenceKey]: { metas: [m] } });
      diff(current.pubsub, group(meta), old ? group(old) : {});
      return reply("ok");
    }

    // Broadcasts and anything else: accepted and dropped; the app's presence does not use them.
    if (event === "broadcast") return;
    reply("error", { reason: `unknown event ${event}` });
  }

  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(http.address() as AddressInfo).port}`,
    joins,
    presence: (topic) => stateOf(`private:${topic}`),
    close: async () => {
      for (const client of wss.clients) client.terminate();
      wss.close();
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}

function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

function sameMeta(meta: Meta, payload: Record<string, unknown>): boolean {
  const { phx_ref: _ref, phx_ref_prev: _prev, ...rest } = meta;
  return JSON.stringify(rest) === JSON.stringify(payload);
}
