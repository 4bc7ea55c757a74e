import "server-only";

import type { IncomingMessage, ServerResponse } from "node:http";
import { canSend, loadProfile } from "./authorize";
import type { RealtimeGateway } from "./gateway";
import { verifyRealtimeToken, type RealtimeClaims } from "./tokens";
import { CLIENT_BROADCAST_EVENTS, isKnownTopic } from "./topics";

/**
 * Supabase Realtime's broadcast REST API, for server-side sends and the client's HTTP
 * fallback:
 *   POST /realtime/v1/api/broadcast                          {messages: [{topic, event, payload}]}
 *   POST /realtime/v1/api/broadcast/{topic}/events/{event}   raw JSON payload
 * Both answer 202. Authorized like a join: a user may send the client events (typing) on
 * topics they may write to, stamped with who they are; only the service token may send
 * anything else. A batch is checked whole before any of it goes out.
 */
export const BROADCAST_API_PREFIX = "/realtime/v1/api/";
const MAX_BODY_BYTES = 512 * 1024;
const MAX_BATCH = 100;

interface Outgoing {
  topic: string;
  event: string;
  payload: Record<string, unknown>;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

function bearer(req: IncomingMessage): string | undefined {
  const auth = req.headers.authorization;
  if (auth?.toLowerCase().startsWith("bearer ")) return auth.slice(7).trim();
  const apikey = req.headers.apikey;
  return Array.isArray(apikey) ? apikey[0] : apikey;
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new HttpError(413, "Payload too large");
    chunks.push(chunk as Buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString("utf8"));
  } catch {
    throw new HttpError(400, "Body must be JSON");
  }
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

async function collect(req: IncomingMessage, pathname: string): Promise<Outgoing[]> {
  const single = /^\/realtime\/v1\/api\/broadcast\/([^/]+)\/events\/([^/]+)$/.exec(pathname);
  if (single) {
    const body = await readJson(req);
    if (!isObject(body)) throw new HttpError(400, "The payload must be a JSON object");
    return [
      {
        topic: decodeURIComponent(single[1] as string),
        event: decodeURIComponent(single[2] as string),
        payload: body,
      },
    ];
  }
  if (pathname !== "/realtime/v1/api/broadcast") throw new HttpError(404, "Not found");
  const body = await readJson(req);
  const messages = isObject(body) ? body.messages : undefined;
  if (!Array.isArray(messages) || messages.length === 0 || messages.length > MAX_BATCH) {
    throw new HttpError(400, `messages must be an array of 1 to ${MAX_BATCH} messages`);
  }
  return messages.map((m: unknown, i) => {
    if (!isObject(m) || typeof m.topic !== "string" || typeof m.event !== "string") {
      throw new HttpError(400, `messages[${i}] needs a topic and an event`);
    }
    const payload = m.payload ?? {};
    if (!isObject(payload)) throw new HttpError(400, `messages[${i}].payload must be an object`);
    return { topic: m.topic, event: m.event, payload };
  });
}

async function authorize(claims: RealtimeClaims, messages: Outgoing[]): Promise<Outgoing[]> {
  const isService = claims.role === "service_role";
  const name = !isService && claims.sub ? (await loadProfile(claims.sub)).name : null;
  const checked = new Map<string, boolean>();
  const result: Outgoing[] = [];
  for (const m of messages) {
    if (!isKnownTopic(m.topic)) throw new HttpError(404, `Unknown topic ${m.topic}`);
    if (!isService) {
      if (!CLIENT_BROADCAST_EVENTS.has(m.event)) {
        throw new HttpError(403, `Only the server may send ${m.event}`);
      }
      let allowed = checked.get(m.topic);
      if (allowed === undefined) {
        allowed = await canSend(claims, m.topic, "broadcast");
        checked.set(m.topic, allowed);
      }
      if (!allowed) throw new HttpError(403, `You may not send to ${m.topic}`);
    }
    result.push(isService ? m : { ...m, payload: { ...m.payload, userId: claims.sub, name } });
  }
  return result;
}

function respond(res: ServerResponse, status: number, body?: unknown): void {
  if (body === undefined) {
    res.writeHead(status, { "content-length": "0" }).end();
    return;
  }
  const json = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(json),
  });
  res.end(json);
}

export async function handleBroadcastApi(
  gateway: RealtimeGateway,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const pathname = new URL(req.url ?? "/", "http://localhost").pathname;
  try {
    if (req.method !== "POST") throw new HttpError(405, "Use POST");
    const check = await verifyRealtimeToken(bearer(req));
    if (!check.ok) throw new HttpError(401, "Unauthorized");
    const messages = await authorize(check.claims, await collect(req, pathname));
    for (const m of messages) gateway.broadcast(m.topic, m.event, m.payload);
    respond(res, 202);
  } catch (error) {
    if (error instanceof HttpError) {
      respond(res, error.status, { statusCode: error.status, message: error.message });
      return;
    }
    throw error;
  }
}
