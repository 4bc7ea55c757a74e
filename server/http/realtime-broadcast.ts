import "server-only";

import { canSend, loadProfile } from "@/server/realtime/authorize";
import type { RealtimeGateway } from "@/server/realtime/gateway";
import { verifyRealtimeToken, type RealtimeClaims } from "@/server/realtime/tokens";
import { clientBroadcastEvents, isKnownTopic, signalRecipient } from "@/server/realtime/topics";
import { AppError, HTTP_STATUS } from "@/server/errors";
import { readJsonBody } from "./json-body";
import { Router } from "./router";

/**
 * Supabase Realtime's broadcast REST API, for server-side sends and the client's HTTP
 * fallback:
 *   POST /realtime/v1/api/broadcast                          {messages: [{topic, event, payload}]}
 *   POST /realtime/v1/api/broadcast/{topic}/events/{event}   raw JSON payload
 * Both answer 202. Authorized like a join: a user may send the client events (typing) on
 * topics they may write to, stamped with who they are; only the service token may send
 * anything else. A batch is checked whole before any of it goes out.
 *
 * Errors keep Supabase's shape (`{statusCode, message}`), which supabase-js reads, rather
 * than the `{error: {…}}` of Parley's own endpoints.
 */
export const REALTIME_BROADCAST_PREFIX = "/realtime/v1/api/";
const MAX_BODY_BYTES = 512 * 1024;
const MAX_BATCH = 100;

interface Outgoing {
  topic: string;
  event: string;
  payload: Record<string, unknown>;
}

class BroadcastError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

function bearer(request: Request): string | undefined {
  const auth = request.headers.get("authorization");
  if (auth?.toLowerCase().startsWith("bearer ")) return auth.slice(7).trim();
  return request.headers.get("apikey") ?? undefined;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

async function batch(request: Request): Promise<Outgoing[]> {
  const body = await readJsonBody(request, MAX_BODY_BYTES);
  const messages = isObject(body) ? body.messages : undefined;
  if (!Array.isArray(messages) || messages.length === 0 || messages.length > MAX_BATCH) {
    throw new BroadcastError(400, `messages must be an array of 1 to ${MAX_BATCH} messages`);
  }
  return messages.map((m: unknown, i) => {
    if (!isObject(m) || typeof m.topic !== "string" || typeof m.event !== "string") {
      throw new BroadcastError(400, `messages[${i}] needs a topic and an event`);
    }
    const payload = m.payload ?? {};
    if (!isObject(payload)) {
      throw new BroadcastError(400, `messages[${i}].payload must be an object`);
    }
    return { topic: m.topic, event: m.event, payload };
  });
}

async function single(request: Request, topic: string, event: string): Promise<Outgoing[]> {
  const payload = await readJsonBody(request, MAX_BODY_BYTES);
  if (!isObject(payload)) throw new BroadcastError(400, "The payload must be a JSON object");
  return [{ topic, event, payload }];
}

async function authorize(claims: RealtimeClaims, messages: Outgoing[]): Promise<Outgoing[]> {
  const isService = claims.role === "service_role";
  const name = !isService && claims.sub ? (await loadProfile(claims.sub)).name : null;
  const checked = new Map<string, boolean>();
  const result: Outgoing[] = [];
  for (const m of messages) {
    if (!isKnownTopic(m.topic)) throw new BroadcastError(404, `Unknown topic ${m.topic}`);
    if (!isService) {
      if (!clientBroadcastEvents(m.topic).has(m.event)) {
        throw new BroadcastError(403, `Only the server may send ${m.event} to ${m.topic}`);
      }
      if (signalRecipient(m.event, m.payload) === null) {
        throw new BroadcastError(400, "A signal names the participant it is for: to (a user id)");
      }
      let allowed = checked.get(m.topic);
      if (allowed === undefined) {
        allowed = await canSend(claims, m.topic, "broadcast");
        checked.set(m.topic, allowed);
      }
      if (!allowed) throw new BroadcastError(403, `You may not send to ${m.topic}`);
    }
    result.push(isService ? m : { ...m, payload: { ...m.payload, userId: claims.sub, name } });
  }
  return result;
}

const failure = (status: number, message: string) =>
  Response.json({ statusCode: status, message }, { status });

/** The broadcast API over one gateway; without one (Supabase mode) every call is 404. */
export function createRealtimeBroadcastHandler(
  gateway: RealtimeGateway | undefined,
): (request: Request) => Promise<Response> {
  const send =
    (collect: (request: Request, params: Record<string, string>) => Promise<Outgoing[]>) =>
    async (request: Request, params: Record<string, string>): Promise<Response> => {
      if (!gateway) return failure(404, "Realtime is served by Supabase");
      const check = await verifyRealtimeToken(bearer(request));
      if (!check.ok) return failure(401, "Unauthorized");
      const messages = await authorize(check.claims, await collect(request, params));
      for (const m of messages) {
        gateway.broadcast(
          m.topic,
          m.event,
          m.payload,
          signalRecipient(m.event, m.payload) ?? undefined,
        );
      }
      return new Response(null, { status: 202 });
    };
  const router = new Router([
    {
      method: "POST",
      path: `${REALTIME_BROADCAST_PREFIX}broadcast`,
      handle: send((request) => batch(request)),
    },
    {
      method: "POST",
      path: `${REALTIME_BROADCAST_PREFIX}broadcast/{topic}/events/{event}`,
      handle: send((request, { topic, event }) => single(request, topic!, event!)),
    },
  ]);
  return async (request) => {
    const match = router.match(request.method, new URL(request.url).pathname);
    try {
      switch (match.kind) {
        case "route":
          return await match.route.handle(request, match.params);
        case "method-not-allowed":
          return failure(405, `Use ${match.allow.join(", ")}`);
        case "bad-path":
          return failure(400, "Malformed percent-escape in the path");
        case "none":
          return failure(404, "Not found");
      }
    } catch (error) {
      if (error instanceof BroadcastError) return failure(error.status, error.message);
      if (error instanceof AppError) return failure(HTTP_STATUS[error.code], error.message);
      throw error;
    }
  };
}
