import { hkdfSync } from "node:crypto";
import {
  createClient,
  REALTIME_SUBSCRIBE_STATES,
  type RealtimeChannel,
  type SupabaseClient,
} from "@supabase/supabase-js";
import { SignJWT } from "jose";
import WebSocket from "ws";

/**
 * The anon key a page hands the browser: an HS256 token with role `anon`, signed with the key
 * the server derives from its auth secret (server/project-jwt-key.ts, server/realtime/tokens.ts).
 */
export async function anonKey(authSecret: string): Promise<string> {
  const key = new Uint8Array(hkdfSync("sha256", authSecret, "parley", "parley project jwt v1", 32));
  return new SignJWT({ role: "anon", iss: "parley" })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setIssuedAt()
    .setExpirationTime("1d")
    .sign(key);
}

/**
 * The browser's client (lib/realtime/browser-client.ts), with `ws` as Node 20's WebSocket;
 * `headers` go with its socket's upgrade request (an `X-Forwarded-For`, say).
 */
export async function realtimeClient(
  baseUrl: string,
  apikey: string,
  accessToken: string,
  headers?: Record<string, string>,
): Promise<SupabaseClient> {
  const transport = headers
    ? class extends WebSocket {
        constructor(address: string, protocols?: string | string[]) {
          super(address, protocols, { headers });
        }
      }
    : WebSocket;
  const client = createClient(baseUrl, apikey, {
    accessToken: () => Promise.resolve(accessToken),
    realtime: { transport: transport as never },
  });
  // The join carries the token only once the client holds it (as the channel registry does).
  await client.realtime.setAuth();
  return client;
}

/** Joins a private channel; resolves when SUBSCRIBED, rejects on anything else. */
export function joinPrivate(
  client: SupabaseClient,
  topic: string,
  onBroadcast: (event: string, payload: Record<string, unknown>) => void,
): Promise<RealtimeChannel> {
  const channel = client.channel(topic, { config: { private: true } });
  channel.on("broadcast", { event: "*" }, (message) => {
    onBroadcast(message.event, (message.payload ?? {}) as Record<string, unknown>);
  });
  return new Promise((resolve, reject) => {
    channel.subscribe((status, error) => {
      if (status === REALTIME_SUBSCRIBE_STATES.SUBSCRIBED) resolve(channel);
      else reject(new Error(`join ${topic}: ${status} ${error?.message ?? ""}`));
    });
  });
}
