import "server-only";

import type { IncomingMessage, ServerResponse } from "node:http";
import { env } from "@/server/env";
import { AppError } from "@/server/errors";
import { logger } from "@/server/logger";
import type { RealtimeGateway } from "@/server/realtime/gateway";
import { resolveClientIp } from "@/server/client-ip";
import { refusalHold } from "@/server/limits/refusal-hold";
import { errorResponse } from "./error-response";
import { sendWebResponse, toWebRequest } from "./node-adapter";
import { Router } from "./router";
import { preparePageRequest, setResponseSecurityHeaders } from "./security-headers";
import { crossSiteRefusal } from "./same-origin";
import { HTTP_PREFIXES, HTTP_ROUTES } from "./routes";
import { createRealtimeBroadcastHandler, REALTIME_BROADCAST_PREFIX } from "./realtime-broadcast";
import { handleTrpcRequest, isTrpcRequest } from "./trpc";

type NodeHandler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;
type RequestListener = (req: IncomingMessage, res: ServerResponse) => void;

export interface HttpHandlerOptions {
  /**
   * The gateway behind realtime's broadcast API (`/realtime/v1/api/…`); without one (hosted
   * Supabase serves realtime) that API answers 404.
   */
  realtimeGateway: RealtimeGateway | undefined;
  /** Whatever is not the HTTP layer's: Next's pages and assets. */
  fallback: NodeHandler;
}

export const router = new Router(HTTP_ROUTES);

/**
 * Replaces whatever client address the request claims with the one Parley can vouch for
 * (`TRUSTED_PROXIES`): rate limits, audit rows and Better Auth all read `X-Forwarded-For`.
 */
function pinClientAddress(req: IncomingMessage): void {
  const clientIp = resolveClientIp(
    req.socket.remoteAddress,
    req.headers["x-forwarded-for"],
    env.trustedProxies,
  );
  delete req.headers["x-real-ip"];
  if (clientIp) req.headers["x-forwarded-for"] = clientIp;
  else delete req.headers["x-forwarded-for"];
}

/**
 * Sends a route's response; a 429 is held a moment first (server/limits/refusal-hold.ts), so
 * a client retrying in a loop is slowed rather than answered as fast as it asks.
 */
async function send(req: IncomingMessage, res: ServerResponse, response: Response): Promise<void> {
  if (response.status === 429) {
    const address = req.headers["x-forwarded-for"];
    await refusalHold.pause(typeof address === "string" ? address : null);
  }
  await sendWebResponse(req, res, response);
}

const malformedPath = () =>
  errorResponse(new AppError("BAD_REQUEST", "Malformed percent-escape in the path"));

/** Whether every percent-escape in a path decodes: Next answers one that does not with a 500. */
function decodablePath(pathname: string): boolean {
  if (!pathname.includes("%")) return true;
  try {
    decodeURIComponent(pathname);
    return true;
  } catch {
    return false;
  }
}

async function serveRoute(
  req: IncomingMessage,
  res: ServerResponse,
  pathname: string,
): Promise<boolean> {
  // Every route lives under one of the prefixes: a page request never walks the table.
  if (!HTTP_PREFIXES.some((prefix) => pathname.startsWith(prefix))) return false;
  const match = router.match(req.method ?? "GET", pathname);
  let response: Response;
  switch (match.kind) {
    case "route": {
      const crossSite = match.route.sameOriginOnly ? crossSiteRefusal(req.headers) : null;
      response = crossSite
        ? errorResponse(new AppError("FORBIDDEN", crossSite))
        : await match.route.handle(toWebRequest(req), match.params);
      break;
    }
    case "method-not-allowed":
      response = errorResponse(
        new AppError("METHOD_NOT_SUPPORTED", `Use ${match.allow.join(", ")} here`),
        new Headers({ allow: match.allow.join(", ") }),
      );
      break;
    case "bad-path":
      response = malformedPath();
      break;
    case "none":
      response = errorResponse(new AppError("NOT_FOUND", "No such endpoint"));
      break;
  }
  await send(req, res, response);
  return true;
}

/**
 * Parley's one HTTP layer, the same in development and production: tRPC, REST v1, Better
 * Auth, uploads, avatars, signed storage objects, the audit export, the emoji data and
 * realtime's broadcast API are answered here; everything else goes to `fallback` (Next). Every
 * response carries the security headers, whoever answers it.
 */
export function createHttpHandler(options: HttpHandlerOptions): RequestListener {
  const realtimeBroadcast = createRealtimeBroadcastHandler(options.realtimeGateway);
  return (req, res) => {
    pinClientAddress(req);
    // On every response, whoever answers it: an error page of Next's carries them too.
    setResponseSecurityHeaders(res);
    const url = req.url ?? "/";
    const query = url.indexOf("?");
    const pathname = query === -1 ? url : url.slice(0, query);
    const served = (async () => {
      if (pathname.startsWith(REALTIME_BROADCAST_PREFIX)) {
        await send(req, res, await realtimeBroadcast(toWebRequest(req)));
      } else if (isTrpcRequest(pathname)) {
        await handleTrpcRequest(req, res);
      } else if (!(await serveRoute(req, res, pathname))) {
        if (!decodablePath(pathname)) {
          await sendWebResponse(req, res, malformedPath());
          return;
        }
        if (!pathname.startsWith("/_next/")) preparePageRequest(req, res);
        await options.fallback(req, res);
      }
    })();
    void served.catch((error: unknown) => {
      logger.error({ err: error, method: req.method, path: pathname }, "request failed");
      if (res.headersSent) {
        res.destroy();
        return;
      }
      res.statusCode = 500;
      res.setHeader("content-type", "application/json");
      res.end(
        JSON.stringify({ error: { code: "INTERNAL_SERVER_ERROR", message: "Internal error" } }),
      );
    });
  };
}
