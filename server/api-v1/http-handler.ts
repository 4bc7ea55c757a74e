import type { IncomingMessage, ServerResponse } from "node:http";
import { Readable } from "node:stream";
import { fromNodeHeaders } from "better-auth/node";
import { securityHeaders } from "@/lib/security-headers";
import type { ApiRoute } from "./route";
import { API_ROUTES } from "./routes";

interface CompiledRoute {
  route: ApiRoute;
  pattern: RegExp;
  names: string[];
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** Each route's OpenAPI path (`/api/v1/chats/{chatId}`) as a pattern, by method. */
const byMethod = new Map<string, CompiledRoute[]>();
for (const route of API_ROUTES) {
  const names: string[] = [];
  const source = route.spec.path
    .split("/")
    .map((segment) => {
      const name = /^\{(\w+)\}$/.exec(segment)?.[1];
      if (!name) return escapeRegExp(segment);
      names.push(name);
      return "([^/]+)";
    })
    .join("/");
  const routes = byMethod.get(route.spec.method) ?? [];
  routes.push({ route, pattern: new RegExp(`^${source}$`), names });
  byMethod.set(route.spec.method, routes);
}

export interface ApiMatch {
  route: ApiRoute;
  params: Record<string, string>;
}

/**
 * The REST v1 route a request is for, with its decoded path parameters. Anything else —
 * another method, an unknown path, a malformed escape, the OpenAPI document — is left to
 * Next, which answers it as it always has (404, 405, 400).
 */
export function matchApiRoute(
  method: string | undefined,
  url: string | undefined,
): ApiMatch | undefined {
  if (!method || !url?.startsWith("/api/v1/")) return undefined;
  const pathname = url.split("?", 1)[0]!;
  for (const { route, pattern, names } of byMethod.get(method) ?? []) {
    const found = pattern.exec(pathname);
    if (!found) continue;
    try {
      const params = Object.fromEntries(
        names.map((name, i) => [name, decodeURIComponent(found[i + 1]!)]),
      );
      return { route, params };
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/**
 * Serves a REST v1 request straight from Parley's HTTP server in production: the same route
 * handler as the Next route (`app/api/v1/…/route.ts`), with the same security headers,
 * without Next's routing and request context around it (docs/PERFORMANCE.md). Development
 * keeps the Next routes, so edits reload.
 */
export async function handleApiRequest(
  req: IncomingMessage,
  res: ServerResponse,
  match: ApiMatch,
): Promise<void> {
  const method = req.method ?? "GET";
  const request = new Request(
    new URL(req.url ?? "/", `http://${req.headers.host ?? "localhost"}`),
    {
      method,
      headers: fromNodeHeaders(req.headers),
      // The route reads and limits the body itself (MAX_BODY_BYTES).
      ...(method === "GET" || method === "HEAD"
        ? {}
        : { body: Readable.toWeb(req) as ReadableStream<Uint8Array>, duplex: "half" }),
    },
  );
  const response = await match.route.handle(request, { params: Promise.resolve(match.params) });
  for (const { key, value } of securityHeaders) res.setHeader(key, value);
  response.headers.forEach((value, key) => res.setHeader(key, value));
  res.statusCode = response.status;
  res.end(response.body ? Buffer.from(await response.arrayBuffer()) : undefined);
}
