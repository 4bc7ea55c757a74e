import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createClient, type RealtimeChannel, type SupabaseClient } from "@supabase/supabase-js";
import WebSocket from "ws";
import type { DatabaseHandle } from "@/db/client";
import { createHttpHandler } from "@/server/http/handler";
import { REALTIME_PATH, startGateway, type StartRealtimeOptions } from "@/server/realtime/server";
import type { RealtimeService } from "@/server/realtime/server";
import { mintAccessToken, realtimeAnonKey } from "@/server/realtime/tokens";
import { getAuth } from "@/server/auth";
import type { TestUser } from "./users";

export interface RealtimeTestServer {
  url: string;
  service: RealtimeService;
  close(): Promise<void>;
}

/** Parley's gateway on a real HTTP server on an ephemeral port, as server/main.ts mounts it. */
export async function startRealtimeTestServer(
  database: DatabaseHandle,
  options: Omit<StartRealtimeOptions, "database"> = {},
): Promise<RealtimeTestServer> {
  const service = await startGateway({ database, ...options });
  const server: Server = createServer(
    createHttpHandler({
      realtimeGateway: service.gateway,
      fallback: (_req, res) => void res.writeHead(404).end(),
    }),
  );
  server.on("upgrade", (req, socket, head) => {
    const pathname = new URL(req.url ?? "/", "http://localhost").pathname;
    if (pathname === REALTIME_PATH) service.handleUpgrade(req, socket, head);
    else socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    service,
    close: async () => {
      await service.close();
      server.closeAllConnections();
      if (server.listening) await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export interface ClientOptions {
  /** A fixed token, or a function the client calls for a fresh one. */
  token?: string | (() => Promise<string>);
  vsn?: "1.0.0" | "2.0.0";
  heartbeatIntervalMs?: number;
  apikey?: string;
}

/** The real supabase-js client, with `ws` as its transport (Node 20 has no global WebSocket). */
export async function realtimeClient(
  url: string,
  options: ClientOptions = {},
): Promise<SupabaseClient> {
  const { token } = options;
  const client = createClient(url, options.apikey ?? (await realtimeAnonKey()), {
    ...(token === undefined
      ? {}
      : { accessToken: typeof token === "string" ? () => Promise.resolve(token) : token }),
    realtime: {
      transport: WebSocket as never,
      ...(options.vsn ? { vsn: options.vsn } : {}),
      ...(options.heartbeatIntervalMs ? { heartbeatIntervalMs: options.heartbeatIntervalMs } : {}),
    },
  });
  // The accessToken callback resolves asynchronously: settle it before the first join.
  if (token !== undefined) await client.realtime.setAuth();
  return client;
}

export type SubscribeOutcome = { status: string; error?: Error };

/** Subscribes and resolves with the first outcome (SUBSCRIBED, CHANNEL_ERROR, …). */
export function subscribe(channel: RealtimeChannel): Promise<SubscribeOutcome> {
  return new Promise((resolve) => {
    channel.subscribe((status, error) => resolve({ status, ...(error ? { error } : {}) }));
  });
}

export async function until(
  check: () => boolean | Promise<boolean>,
  what = "condition",
  timeoutMs = 5_000,
): Promise<void> {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A realtime token for `who`, bound to the session their cookie names (as realtime.token mints). */
export async function userToken(
  who: TestUser,
  ttlSeconds?: number,
): Promise<{ token: string; expiresAt: Date }> {
  const found = await getAuth().api.getSession({ headers: who.headers });
  if (!found) throw new Error(`${who.name} has no live session`);
  return mintAccessToken(
    who.id,
    found.session.id,
    found.session.activeOrganizationId ?? null,
    ttlSeconds,
  );
}

export interface RawSocket {
  ws: WebSocket;
  /** Text frames as they arrived, parsed. */
  text: unknown[];
  binary: Buffer[];
  closed: { code: number; reason: string } | null;
  /** The text frames that are arrays (vsn 2.0.0's shape). */
  arrays(): unknown[][];
  send(frame: unknown): void;
  close(): Promise<void>;
}

/**
 * A bare WebSocket on the gateway at `serverUrl`, with the anon key and no client library
 * around it; resolves with the HTTP status instead when the upgrade is refused.
 */
export async function tryRawSocket(serverUrl: string, vsn = "2.0.0"): Promise<RawSocket | number> {
  const ws = new WebSocket(
    `${serverUrl.replace("http", "ws")}${REALTIME_PATH}?apikey=${await realtimeAnonKey()}&vsn=${vsn}`,
  );
  const socket: RawSocket = {
    ws,
    text: [],
    binary: [],
    closed: null,
    arrays: () => socket.text.filter((f): f is unknown[] => Array.isArray(f)),
    send: (frame) => ws.send(JSON.stringify(frame)),
    close: () =>
      new Promise((resolve) => {
        if (socket.closed) return resolve();
        ws.once("close", () => resolve());
        ws.close();
      }),
  };
  ws.on("message", (data: Buffer, isBinary) => {
    if (isBinary) socket.binary.push(data);
    else socket.text.push(JSON.parse(data.toString()));
  });
  ws.on("close", (code, reason) => (socket.closed = { code, reason: reason.toString() }));
  return new Promise((resolve, reject) => {
    ws.once("open", () => resolve(socket));
    ws.once("unexpected-response", (_req, res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    ws.once("error", reject);
  });
}

/** `tryRawSocket`, for a socket that must open. */
export async function rawSocket(serverUrl: string, vsn = "2.0.0"): Promise<RawSocket> {
  const socket = await tryRawSocket(serverUrl, vsn);
  if (typeof socket === "number") throw new Error(`upgrade refused with ${socket}`);
  return socket;
}
