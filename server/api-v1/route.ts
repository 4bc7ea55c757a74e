import { z } from "zod";
import { withRls } from "@/db/rls";
import type { Tx } from "@/db/types";
import { recordAudit } from "@/server/audit/buffer";
import type { ApiScope } from "@/server/contracts/api-keys";
import { env } from "@/server/env";
import { AppError, HTTP_STATUS, toAppError } from "@/server/errors";
import { logger } from "@/server/logger";
import { apiLimiters, type RateLimitResult } from "./rate-limit";
import { verifyApiKey, type VerifiedKey } from "./verify-key";

export const MAX_BODY_BYTES = 1024 * 1024;

type Method = "GET" | "POST" | "PUT" | "DELETE";
type AnyObject = z.ZodObject;

export interface RouteSpec<
  P extends AnyObject,
  Q extends AnyObject,
  B extends z.ZodType,
  H extends AnyObject,
  R,
> {
  method: Method;
  /** The OpenAPI path, also the audit log's endpoint: `/api/v1/chats/{chatId}/messages`. */
  path: string;
  /** The scope a key needs; null for public routes. */
  scope: ApiScope | null;
  summary: string;
  tag: string;
  params?: P;
  query?: Q;
  headers?: H;
  body?: B;
  response?: z.ZodType;
  status?: 200 | 201 | 204;
  handler: (
    tx: Tx,
    input: {
      key: VerifiedKey;
      params: z.output<P>;
      query: z.output<Q>;
      headers: z.output<H>;
      body: z.output<B>;
    },
  ) => Promise<R>;
}

export function errorResponse(error: AppError, headers: Headers = new Headers()): Response {
  headers.set("content-type", "application/json");
  const body: { error: { code: string; message: string; details?: unknown } } = {
    error: { code: error.code, message: error.message },
  };
  if (error.details !== undefined) body.error.details = error.details;
  return new Response(JSON.stringify(body), { status: HTTP_STATUS[error.code], headers });
}

function invalid(where: string, error: z.ZodError): AppError {
  return new AppError("UNPROCESSABLE_CONTENT", `Invalid ${where}`, {
    issues: error.issues.map((i) => ({ path: i.path, message: i.message, code: i.code })),
  });
}

function rateLimitHeaders(headers: Headers, limit: RateLimitResult): void {
  headers.set("RateLimit-Limit", String(limit.limit));
  headers.set("RateLimit-Remaining", String(limit.remaining));
  headers.set("RateLimit-Reset", String(limit.resetSeconds));
}

async function readJsonBody(request: Request): Promise<unknown> {
  const type = request.headers.get("content-type") ?? "";
  if (!/^application\/json\b/i.test(type)) {
    throw new AppError("UNSUPPORTED_MEDIA_TYPE", "Send the body as application/json");
  }
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > MAX_BODY_BYTES)
    throw new AppError("PAYLOAD_TOO_LARGE", "The body is larger than 1 MB");
  // Read with a running count: a chunked body has no length to trust up front.
  const reader = request.body?.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  while (reader) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_BODY_BYTES) {
      await reader.cancel();
      throw new AppError("PAYLOAD_TOO_LARGE", "The body is larger than 1 MB");
    }
    chunks.push(value);
  }
  const text = Buffer.concat(chunks).toString("utf8");
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new AppError("BAD_REQUEST", "The body is not valid JSON");
  }
}

function bearerToken(request: Request): string | null {
  const authorization = request.headers.get("authorization");
  if (authorization) {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization.trim());
    return match?.[1] ?? "";
  }
  return request.headers.get("x-api-key");
}

/**
 * A REST v1 route: API-key authentication (with a per-address limit on failures), the scope
 * check, the per-key rate limit, input parsing, the handler inside `withRls(key owner)`, one
 * JSON error shape, and one audit row for every request whatever its outcome.
 */
export function defineRoute<
  P extends AnyObject = z.ZodObject<Record<string, never>>,
  Q extends AnyObject = z.ZodObject<Record<string, never>>,
  B extends z.ZodType = z.ZodUndefined,
  H extends AnyObject = z.ZodObject<Record<string, never>>,
  R = unknown,
>(spec: RouteSpec<P, Q, B, H, R>) {
  async function handle(
    request: Request,
    context?: { params?: Promise<Record<string, string | string[]>> },
  ) {
    const started = performance.now();
    const headers = new Headers();
    const ip = request.headers.get("x-forwarded-for");
    let key: VerifiedKey | null = null;
    let auditKeyId: string | null = null;
    let response: Response;
    try {
      if (spec.scope !== null) {
        const failures = apiLimiters().failedAuthPerIp;
        const ipId = ip ?? "unknown";
        const token = bearerToken(request);
        try {
          const blocked = await failures.check(ipId, env.API_AUTH_FAILURE_LIMIT);
          if (!blocked.allowed) {
            headers.set("Retry-After", String(blocked.resetSeconds));
            throw new AppError(
              "TOO_MANY_REQUESTS",
              "Too many failed authentications; try again later",
            );
          }
          if (!token)
            throw new AppError("UNAUTHORIZED", "Send an API key: Authorization: Bearer <key>");
          key = await verifyApiKey(token);
        } catch (error) {
          const appError = toAppError(error);
          if (appError.code === "UNAUTHORIZED") {
            await failures.hit(ipId, env.API_AUTH_FAILURE_LIMIT);
            headers.set("WWW-Authenticate", 'Bearer realm="parley"');
          }
          const details = appError.details as { apiKeyId?: string } | undefined;
          auditKeyId = details?.apiKeyId ?? null;
          throw new AppError(appError.code, appError.message);
        }
        auditKeyId = key.keyId;
        if (!key.scopes.includes(spec.scope)) {
          throw new AppError("FORBIDDEN", `This API key lacks the scope ${spec.scope}`, {
            requiredScope: spec.scope,
          });
        }
        const limit = await apiLimiters().perKey.hit(
          key.keyId,
          Math.min(key.rateLimit ?? env.API_RATE_LIMIT, env.API_RATE_LIMIT),
        );
        rateLimitHeaders(headers, limit);
        if (!limit.allowed) {
          headers.set("Retry-After", String(limit.resetSeconds));
          throw new AppError("TOO_MANY_REQUESTS", "Rate limit exceeded for this API key");
        }
      }

      const rawParams = (await context?.params) ?? {};
      const params = (spec.params ?? z.object({})).safeParse(rawParams);
      if (!params.success) throw invalid("path parameters", params.error);
      const query = (spec.query ?? z.object({})).safeParse(
        Object.fromEntries(new URL(request.url).searchParams),
      );
      if (!query.success) throw invalid("query parameters", query.error);
      const headerInput = (spec.headers ?? z.object({})).safeParse(
        Object.fromEntries(request.headers),
      );
      if (!headerInput.success) throw invalid("headers", headerInput.error);
      let body: unknown = undefined;
      if (spec.body) {
        const parsed = spec.body.safeParse(await readJsonBody(request));
        if (!parsed.success) throw invalid("body", parsed.error);
        body = parsed.data;
      }

      const input = {
        params: params.data,
        query: query.data,
        headers: headerInput.data,
        body: body as z.output<B>,
      } as { params: z.output<P>; query: z.output<Q>; headers: z.output<H>; body: z.output<B> };
      const verified = key;
      const result = verified
        ? await withRls(verified.userId, (tx) => spec.handler(tx, { key: verified, ...input }))
        : await withRls(null, (tx) =>
            spec.handler(tx, { key: null as unknown as VerifiedKey, ...input }),
          );
      const status = spec.status ?? 200;
      if (status === 204) {
        response = new Response(null, { status, headers });
      } else {
        headers.set("content-type", "application/json");
        response = new Response(JSON.stringify(result), { status, headers });
      }
    } catch (error) {
      const appError = toAppError(error);
      if (appError.code === "INTERNAL_SERVER_ERROR") {
        logger.error({ err: error, path: spec.path }, "REST v1 request failed");
      }
      response = errorResponse(appError, headers);
    }
    if (spec.scope !== null) {
      recordAudit({
        apiKeyId: auditKeyId,
        userId: key?.userId ?? null,
        actorId: key?.userId ?? null,
        endpoint: spec.path,
        method: spec.method,
        statusCode: response.status,
        responseTime: Math.round(performance.now() - started),
        ipAddress: ip,
        userAgent: request.headers.get("user-agent"),
        details: null,
      });
    }
    return response;
  }

  return { spec, handle };
}

export type ApiRoute = ReturnType<typeof defineRoute>;
