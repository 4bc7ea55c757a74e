import type { IncomingMessage, ServerResponse } from "node:http";
import { nodeHTTPRequestHandler } from "@trpc/server/adapters/node-http";
import { fromNodeHeaders } from "better-auth/node";
import { securityHeaders } from "@/lib/security-headers";
import { createTRPCContext } from "./context";
import { appRouter } from "./root";

export const TRPC_ENDPOINT = "/api/trpc";
/** The largest request body accepted (413 beyond): far above any procedure's input. */
export const TRPC_MAX_BODY_BYTES = 1024 * 1024;

/** Whether a request is for the tRPC endpoint: `/api/trpc/<procedures>`, query or not. */
export function isTrpcRequest(url: string | undefined): boolean {
  return url !== undefined && url.startsWith(`${TRPC_ENDPOINT}/`);
}

/**
 * Serves `/api/trpc` straight from Parley's HTTP server with tRPC's Node adapter: the same
 * router, context and response as the Next route handler (`app/api/trpc/[trpc]/route.ts`),
 * without Next's routing, request wrapping and async context around every call, which cost a
 * quarter of the server's CPU per `messages.send` (docs/PERFORMANCE.md). The route handler
 * still serves development, where Next reloads it on every change.
 */
export async function handleTrpcRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const pathname = new URL(req.url ?? "/", "http://localhost").pathname;
  for (const { key, value } of securityHeaders) res.setHeader(key, value);
  await nodeHTTPRequestHandler({
    req,
    res,
    // Still percent-encoded: tRPC decodes it, answering a malformed escape with a 400.
    path: pathname.slice(TRPC_ENDPOINT.length + 1).replace(/\/$/, ""),
    maxBodySize: TRPC_MAX_BODY_BYTES,
    router: appRouter,
    createContext: () =>
      createTRPCContext({
        headers: fromNodeHeaders(req.headers),
        response: { setCookie: (cookie) => res.appendHeader("set-cookie", cookie) },
      }),
  });
}
