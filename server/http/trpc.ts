import "server-only";

import type { IncomingMessage, ServerResponse } from "node:http";
import { nodeHTTPRequestHandler } from "@trpc/server/adapters/node-http";
import { fromNodeHeaders } from "better-auth/node";
import { TRPC_ERROR_CODES_BY_KEY } from "@trpc/server/rpc";
import { transformer } from "@/lib/trpc/transformer";
import { env } from "@/server/env";
import { AppError, retryAfterSeconds } from "@/server/errors";
import { createTRPCContext } from "@/server/trpc/context";
import { appRouter } from "@/server/trpc/root";
import { chargeAddress } from "@/server/limits/budgets";
import { refusalHold } from "@/server/limits/refusal-hold";
import { crossSiteRefusal } from "./same-origin";

export const TRPC_ENDPOINT = "/api/trpc";
/** The largest request body accepted (413 beyond): far above any procedure's input. */
export const TRPC_MAX_BODY_BYTES = 1024 * 1024;

/** Whether a request is for the tRPC endpoint: `/api/trpc/<procedures>`, query or not. */
export function isTrpcRequest(url: string | undefined): boolean {
  return url !== undefined && url.startsWith(`${TRPC_ENDPOINT}/`);
}

/** A refusal before any procedure runs, in tRPC's error shape (through Parley's transformer). */
function refuse(res: ServerResponse, { code, message, retryAfterSeconds }: Refused): void {
  const httpStatus = REFUSAL_STATUS[code];
  if (retryAfterSeconds !== undefined) res.setHeader("retry-after", String(retryAfterSeconds));
  const body = JSON.stringify({
    error: transformer.output.serialize({
      message,
      code: TRPC_ERROR_CODES_BY_KEY[code],
      data: { code, httpStatus, path: null },
    }),
  });
  res.statusCode = httpStatus;
  res.setHeader("content-type", "application/json");
  res.setHeader("content-length", Buffer.byteLength(body));
  res.end(body);
}

const REFUSAL_STATUS = {
  BAD_REQUEST: 400,
  FORBIDDEN: 403,
  UNSUPPORTED_MEDIA_TYPE: 415,
  TOO_MANY_REQUESTS: 429,
} as const;

interface Refused {
  code: keyof typeof REFUSAL_STATUS;
  message: string;
  retryAfterSeconds?: number;
}

/**
 * What is refused before tRPC reads the body: a batch larger than `TRPC_MAX_BATCH` (so one
 * request cannot hold the server for the length of a thousand calls), a POST from another
 * site, and a POST that is not JSON (a form post, which any page may send without asking).
 */
async function refusal(req: IncomingMessage, path: string): Promise<Refused | null> {
  let calls = 1;
  for (let i = path.indexOf(","); i !== -1; i = path.indexOf(",", i + 1)) calls++;
  if (calls > env.TRPC_MAX_BATCH) {
    // The batch spends the calls it asks for, so a stream of them soon meets the address's
    // limit, and its refusals are held like any other 429.
    const address = req.headers["x-forwarded-for"];
    const overLimit = typeof address === "string" ? await chargeAddress(address, calls) : null;
    if (overLimit && typeof address === "string") {
      await refusalHold.pause(address);
      return {
        code: "TOO_MANY_REQUESTS",
        message: overLimit.message,
        retryAfterSeconds: overLimit.retryAfterSeconds,
      };
    }
    return {
      code: "BAD_REQUEST",
      message: `A request may batch at most ${env.TRPC_MAX_BATCH} calls; this one has ${calls}`,
    };
  }
  if (req.method === "POST") {
    const crossSite = crossSiteRefusal(req.headers);
    if (crossSite) return { code: "FORBIDDEN", message: crossSite };
    const type = req.headers["content-type"]?.split(";")[0]?.trim().toLowerCase();
    if (type !== "application/json") {
      return { code: "UNSUPPORTED_MEDIA_TYPE", message: "Send calls as application/json" };
    }
  }
  return null;
}

/**
 * Serves `/api/trpc` with tRPC's Node adapter, straight on Node's request and response: no
 * Web `Request`/`Response` is built for the busiest endpoint (docs/PERFORMANCE.md).
 */
export async function handleTrpcRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = req.url ?? "/";
  const query = url.indexOf("?");
  const pathname = query === -1 ? url : url.slice(0, query);
  // Answers are one person's data: no cache along the way may keep them.
  res.setHeader("cache-control", "no-store");
  // Still percent-encoded: tRPC decodes it, answering a malformed escape with a 400.
  const path = pathname.slice(TRPC_ENDPOINT.length + 1).replace(/\/$/, "");
  const refused = await refusal(req, path);
  if (refused) {
    req.resume();
    refuse(res, refused);
    return;
  }
  await nodeHTTPRequestHandler({
    req,
    res,
    path,
    maxBodySize: TRPC_MAX_BODY_BYTES,
    router: appRouter,
    responseMeta: ({ errors }) => {
      // A 429 or 503 says when to try again, as every other Parley endpoint does.
      for (const error of errors) {
        const seconds = error.cause instanceof AppError ? retryAfterSeconds(error.cause) : null;
        if (seconds !== null) return { headers: { "retry-after": String(seconds) } };
      }
      return {};
    },
    createContext: () => {
      const headers = fromNodeHeaders(req.headers);
      return createTRPCContext({
        headers,
        response: { setCookie: (cookie) => res.appendHeader("set-cookie", cookie) },
        http: { address: headers.get("x-forwarded-for") },
      });
    },
  });
}
