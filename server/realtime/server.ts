import "server-only";

import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import type { DatabaseHandle } from "@/db/client";
import { userTopic, type UserEvents } from "@/lib/realtime/events";
import { env } from "@/server/env";
import type { RefusalHold } from "@/server/limits/refusal-hold";
import type { RateLimit } from "@/server/limits/rate-limit";
import { logger } from "@/server/logger";
import { LocalBus, PostgresBus, type RealtimeBus } from "./bus";
import type { GatewayLimits } from "./connection";
import { RealtimeGateway, REALTIME_PATH } from "./gateway";
import { startDomainEventRelay } from "./relay";
import { SupabaseBroadcastSink } from "./supabase-sink";
import { watchWorkspaceDepartures } from "./workspace-departures";

export { REALTIME_PATH };

/** What the Node entry hands realtime traffic to. */
export interface RealtimeService {
  /** The gateway, when Parley serves realtime itself. */
  readonly gateway: RealtimeGateway | undefined;
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  close(): Promise<void>;
}

const log = logger.child({ component: "realtime" });

function notServedHere(socket: Duplex): void {
  const body = "Realtime is served by Supabase in this deployment\n";
  socket.end(
    "HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\n" +
      `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}

export interface StartRealtimeOptions {
  database: DatabaseHandle;
  /** Fan out through Postgres (several instances); defaults to APP_INSTANCES > 1. */
  distributed?: boolean;
  limits?: Partial<GatewayLimits>;
  /** Where new sockets are counted per address; the process-wide window unless given. */
  connectWindow?: RateLimit;
  /** Where 429s wait before they are sent; the process's own unless given. */
  refusalHold?: RefusalHold;
  /** Relay this process's domain events to the gateway (off for a second test instance). */
  relayDomainEvents?: boolean;
}

/** Parley's own gateway, fed by this process's domain events. */
export async function startGateway(options: StartRealtimeOptions): Promise<RealtimeService> {
  const distributed = options.distributed ?? env.APP_INSTANCES > 1;
  const onBusError = (error: unknown) => log.error({ err: error }, "realtime bus failed");
  const bus: RealtimeBus = distributed
    ? new PostgresBus(options.database, onBusError)
    : new LocalBus();
  const gateway = new RealtimeGateway({
    bus,
    database: options.database,
    logger: log,
    ...(options.connectWindow ? { connectWindow: options.connectWindow } : {}),
    ...(options.refusalHold ? { refusalHold: options.refusalHold } : {}),
    limits: {
      connectsPerMinute: env.REALTIME_CONNECTS_PER_MINUTE,
      maxSocketsPerUser: env.REALTIME_SOCKETS_PER_USER,
      maxSocketsPerAddress: env.REALTIME_SOCKETS_PER_ADDRESS,
      maxAnonymousSocketsPerAddress: env.REALTIME_ANONYMOUS_SOCKETS_PER_ADDRESS,
      maxMessagesPerSecond: env.REALTIME_FRAMES_PER_SECOND,
      joinsPerMinute: env.REALTIME_JOINS_PER_MINUTE,
      ...options.limits,
    },
  });
  await gateway.start();
  const stopRelay = options.relayDomainEvents === false ? () => {} : startDomainEventRelay(gateway);
  let closing: Promise<void> | undefined;
  return {
    gateway,
    handleUpgrade: (req, socket, head) => gateway.handleUpgrade(req, socket, head),
    close: () => {
      stopRelay();
      closing ??= gateway.close();
      return closing;
    },
  };
}

export interface SupabaseRealtimeOptions {
  database: DatabaseHandle;
  url: string;
  serviceRoleKey: string;
  fetch?: typeof fetch;
}

/**
 * Supabase mode: this process's domain events go to hosted Realtime's broadcast endpoint, and
 * so does the end of a membership. Hosted Realtime cannot be told to close a channel, so the
 * departed member's own topic hears `workspace.left` and their pages leave the workspace (as
 * they do on Parley's gateway); a page that stayed would lose the workspace's topics at its
 * next token refresh, whose policy check finds no membership.
 */
export async function startSupabaseRealtime(
  options: SupabaseRealtimeOptions,
): Promise<RealtimeService> {
  const sink = new SupabaseBroadcastSink({
    url: options.url,
    serviceRoleKey: options.serviceRoleKey,
    onError: (error) => log.error({ err: error }, "Supabase broadcast failed"),
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  const stopDepartures = await watchWorkspaceDepartures(options.database, (left) => {
    const payload: UserEvents["workspace.left"] = { organizationId: left.organizationId };
    sink.broadcast(userTopic(left.userId), "workspace.left", payload);
  });
  const stopRelay = startDomainEventRelay(sink);
  let closing: Promise<void> | undefined;
  return {
    gateway: undefined,
    handleUpgrade: (_req, socket) => notServedHere(socket),
    close: () => {
      stopRelay();
      closing ??= stopDepartures();
      return closing;
    },
  };
}

/** Realtime as configured: hosted Supabase in Supabase mode, else Parley's gateway. */
export async function startRealtime(database: DatabaseHandle): Promise<RealtimeService> {
  const supabase = env.supabase;
  if (!supabase) return startGateway({ database });
  return startSupabaseRealtime({
    database,
    url: supabase.url,
    serviceRoleKey: supabase.serviceRoleKey,
  });
}
