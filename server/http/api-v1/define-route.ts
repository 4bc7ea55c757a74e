import "server-only";

import { z } from "zod";
import { withRls } from "@/db/rls";
import type { Tx } from "@/db/types";
import { recordAudit } from "@/server/audit/buffer";
import { recordKeylessAudit } from "@/server/audit/keyless";
import type { ApiScope } from "@/contracts/api-keys";
import { env } from "@/server/env";
import { AppError, toAppError } from "@/server/errors";
import { logger } from "@/server/logger";
import { errorResponse } from "../error-response";
import { readJsonBody } from "../json-body";
import { rateLimit, type RateLimitResult } from "@/server/limits/rate-limit";
import {
  authenticateApiKey,
  presentApiKey,
  type PresentedKey,
  type VerifiedKey,
} from "@/server/services/verify-api-key";
import { parseApiKey } from "@/server/services/api-key-format";

export const MAX_BODY_BYTES = 1024 * 1024;

type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
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
  /** The operation's name in the OpenAPI document, and in clients generated from it. */
  operationId: string;
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

/** REST v1 bodies are JSON, declared as such. */
async function readRequestJson(request: Request): Promise<unknown> {
  const type = request.headers.get("content-type") ?? "";
  if (!/^application\/json\b/i.test(type)) {
    throw new AppError("UNSUPPORTED_MEDIA_TYPE", "Send the body as application/json");
  }
  return readJsonBody(request, MAX_BODY_BYTES);
}

function bearerToken(request: Request): string | null {
  const authorization = request.headers.get("authorization");
  if (authorization) {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization.trim());
    return match?.[1] ?? "";
  }
  return request.headers.get("x-api-key");
}

/** The request's parsed input, or why it cannot be taken (told only after authentication). */
type Input<P extends AnyObject, Q extends AnyObject, B extends z.ZodType, H extends AnyObject> =
  | {
      ok: true;
      value: { params: z.output<P>; query: z.output<Q>; headers: z.output<H>; body: z.output<B> };
    }
  | { ok: false; error: unknown };

/** A refusal by key verification, told apart from the handler's own errors. */
class KeyRefused extends Error {
  constructor(readonly refusal: unknown) {
    super("API key refused");
  }
}

/**
 * A REST v1 route: API-key authentication (with a per-address limit on failures), the scope
 * check, the per-key rate limit, input parsing, the handler inside `withRls(key owner)`, one
 * JSON error shape, and one audit row for every request whatever its outcome.
 *
 * The key is verified inside the handler's own transaction (`authenticateApiKey` turns it from
 * `anon` into the owner's), so a request costs one transaction, not one for the key and one
 * for the work. The order of the answers is what it would be with verification first: the
 * input is read and parsed before the transaction opens — a transaction never waits on the
 * client — but its errors are only reported once the key, its scope and its rate limit have
 * passed. Only a request with a well-formed key gets its body read before the key is looked
 * up; refused ones count towards the address's failure limit, which stops reading bodies for
 * an address that keeps guessing.
 */
export function defineRoute<
  P extends AnyObject = z.ZodObject<Record<string, never>>,
  Q extends AnyObject = z.ZodObject<Record<string, never>>,
  B extends z.ZodType = z.ZodUndefined,
  H extends AnyObject = z.ZodObject<Record<string, never>>,
  R = unknown,
>(spec: RouteSpec<P, Q, B, H, R>) {
  async function readInput(
    request: Request,
    rawParams: Record<string, string>,
  ): Promise<Input<P, Q, B, H>> {
    try {
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
        const parsed = spec.body.safeParse(await readRequestJson(request));
        if (!parsed.success) throw invalid("body", parsed.error);
        body = parsed.data;
      }
      return {
        ok: true,
        value: {
          params: params.data,
          query: query.data,
          headers: headerInput.data,
          body: body as z.output<B>,
        } as { params: z.output<P>; query: z.output<Q>; headers: z.output<H>; body: z.output<B> },
      };
    } catch (error) {
      return { ok: false, error };
    }
  }

  async function handle(request: Request, rawParams: Record<string, string> = {}) {
    const started = performance.now();
    // Answers are one key owner's data: no cache along the way may keep them.
    const headers = new Headers({ "cache-control": "no-store" });
    const ip = request.headers.get("x-forwarded-for");
    const ipId = ip ?? "unknown";
    // Filled in as authentication gets further, for the audit row whatever happens after.
    const audit: { key: VerifiedKey | null; keyId: string | null } = { key: null, keyId: null };
    let response: Response;

    /**
     * Failed authentications are counted per address *and* per key id presented (all
     * malformed or missing keys share one count): guessing at one key, or sending garbage,
     * locks out only that, never a valid key used from the same address.
     */
    const token = bearerToken(request);
    const presentedPrefix = token ? (parseApiKey(token)?.prefix ?? "-") : "-";
    const failureBucket = `${ipId}|${presentedPrefix}`;

    /** A failed authentication: counted, audited, told without details. */
    const refuse = async (error: unknown): Promise<never> => {
      const appError = toAppError(error);
      if (appError.code === "UNAUTHORIZED") {
        await rateLimit("api-auth-failures").hit(failureBucket, env.API_AUTH_FAILURE_LIMIT);
        headers.set("WWW-Authenticate", 'Bearer realm="parley"');
      }
      const details = appError.details as { apiKeyId?: string } | undefined;
      audit.keyId = details?.apiKeyId ?? null;
      throw new AppError(appError.code, appError.message);
    };

    try {
      let presented: PresentedKey | null = null;
      if (spec.scope !== null) {
        try {
          const blocked = await rateLimit("api-auth-failures").check(
            failureBucket,
            env.API_AUTH_FAILURE_LIMIT,
          );
          if (!blocked.allowed) {
            headers.set("Retry-After", String(blocked.resetSeconds));
            throw new AppError(
              "TOO_MANY_REQUESTS",
              "Too many failed authentications; try again later",
            );
          }
          if (!token)
            throw new AppError("UNAUTHORIZED", "Send an API key: Authorization: Bearer <key>");
          presented = presentApiKey(token);
        } catch (error) {
          await refuse(error);
        }
      }

      const input = await readInput(request, rawParams);
      const scope = spec.scope;
      const result = await withRls(null, async (tx) => {
        if (scope !== null) {
          // Unreachable without a key (refused above); kept so no path runs a scoped handler
          // without one.
          if (!presented) throw new AppError("UNAUTHORIZED", "Send an API key");
          let key: VerifiedKey;
          try {
            key = await authenticateApiKey(tx, presented);
          } catch (error) {
            throw new KeyRefused(error);
          }
          audit.key = key;
          audit.keyId = key.keyId;
          // Inside the transaction: the memory store answers at once; Redis (REDIS_URL) in a
          // fraction of a millisecond, and lets the request through if it cannot answer.
          // Counted before the scope check: a request a key may not make is still a request,
          // and its answer carries the same RateLimit headers as every other.
          const limit = await rateLimit("api-key").hit(
            key.keyId,
            Math.min(key.rateLimit ?? env.API_RATE_LIMIT, env.API_RATE_LIMIT),
          );
          rateLimitHeaders(headers, limit);
          if (!limit.allowed) {
            headers.set("Retry-After", String(limit.resetSeconds));
            throw new AppError("TOO_MANY_REQUESTS", "Rate limit exceeded for this API key");
          }
          if (!key.scopes.includes(scope)) {
            throw new AppError("FORBIDDEN", `This API key lacks the scope ${scope}`, {
              requiredScope: scope,
            });
          }
        }
        if (!input.ok) throw input.error;
        return spec.handler(tx, {
          // Public routes (scope null) have no key; their handlers do not read it.
          key: audit.key as VerifiedKey,
          ...input.value,
        });
      }).catch((error: unknown) => {
        if (error instanceof KeyRefused) return refuse(error.refusal);
        throw error;
      });
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
      const entry = {
        apiKeyId: audit.keyId,
        userId: audit.key?.userId ?? null,
        actorId: audit.key?.userId ?? null,
        endpoint: spec.path,
        method: spec.method,
        statusCode: response.status,
        responseTime: Math.round(performance.now() - started),
        ipAddress: ip,
        userAgent: request.headers.get("user-agent"),
        details: null,
      };
      // Anyone can send requests without a valid key: counted in aggregate rows.
      if (audit.key) recordAudit(entry);
      else recordKeylessAudit(entry);
    }
    return response;
  }

  return { spec, handle };
}

export type ApiRoute = ReturnType<typeof defineRoute>;
