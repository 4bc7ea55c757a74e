import "server-only";

import type { IncomingMessage, ServerResponse } from "node:http";
import { nodeHTTPRequestHandler } from "@trpc/server/adapters/node-http";
import { fromNodeHeaders } from "better-auth/node";
import { securityHeaders } from "@/lib/security-headers";
import { createTRPCContext } from "@/server/trpc/context";
import { appRouter } from "@/server/trpc/root";

export const TRPC_ENDPOINT = "/api/trpc";
/** The largest request body accepted (413 beyond): far above any procedure's input. */
export const TRPC_MAX_BODY_BYTES = 1024 * 1024;

/** Whether a request is for the tRPC endpoint: `/api/trpc/<procedures>`, query or not. */
export function isTrpcRequest(url: string | undefined): boolean {
  return url !== undefined && url.startsWith(`${TRPC_ENDPOINT}/`);
}

/**
 * Serves `/api/trpc` with tRPC's Node adapter, straight on Node's request and response: no
 * Web `Request`/`Response` is built for the busiest endpoint (docs/PERFORMANCE.md).
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
