import "server-only";

import { z } from "zod";
import { createDocument } from "zod-openapi";
import { API_SCOPES, SCOPE_DESCRIPTIONS } from "@/contracts/api-keys";
import { MAX_BODY_BYTES } from "./define-route";
import { API_ROUTES } from "./routes";

const errorSchema = z
  .object({
    error: z.object({
      code: z.string().meta({ description: "A stable code, such as NOT_FOUND" }),
      message: z.string().meta({ description: "What went wrong, for people" }),
      details: z
        .unknown()
        .optional()
        .meta({ description: "Validation issues, or the scope a key lacks" }),
    }),
  })
  .meta({ id: "Error", description: "Every error answer has this shape" });

const TAGS = [
  { name: "Profile", description: "The key owner's profile" },
  { name: "Metas", description: "The key owner's preferences and profile fields (`user_metas`)" },
  { name: "Chats", description: "Chats the key owner is in, their members and read state" },
  { name: "Messages", description: "Messages, threads and reactions in those chats" },
  { name: "Realtime", description: "Tokens for live updates over supabase-js channels" },
  { name: "Webhooks", description: "Signed HTTP calls to your endpoints when things happen" },
  { name: "Audit", description: "The key owner's audit trail" },
] as const;

const integerHeader = (description: string) => ({
  description,
  schema: { type: "integer" as const, minimum: 0 },
});

/** Every header a REST v1 answer may carry, declared once and referred to by name. */
const HEADERS = {
  RateLimitLimit: integerHeader("Requests the key may make in the current window"),
  RateLimitRemaining: integerHeader("Requests left in the current window"),
  RateLimitReset: integerHeader("Seconds until the window starts over"),
  RetryAfter: integerHeader("Seconds to wait before trying again"),
  WWWAuthenticate: {
    description: 'How to authenticate: `Bearer realm="parley"`',
    schema: { type: "string" as const },
  },
  CacheControl: {
    description: "Always `no-store`: answers are one key owner's data",
    schema: { type: "string" as const },
  },
} as const;

const ref = (name: keyof typeof HEADERS) => ({ $ref: `#/components/headers/${name}` });
const rateLimited = {
  "RateLimit-Limit": ref("RateLimitLimit"),
  "RateLimit-Remaining": ref("RateLimitRemaining"),
  "RateLimit-Reset": ref("RateLimitReset"),
  "Cache-Control": ref("CacheControl"),
};

function errorAnswer(description: string, headers: Record<string, { $ref: string }> = rateLimited) {
  return { description, headers, content: { "application/json": { schema: errorSchema } } };
}

/**
 * The failures any operation may answer with, as named responses. A key that is refused is
 * answered before it is counted (no RateLimit headers); everything after that carries them.
 */
const ERROR_RESPONSES = {
  BadRequest: errorAnswer(
    "The body is not valid JSON, a value the database refuses, or a cursor that is not one of ours",
  ),
  Unauthorized: errorAnswer("Missing, malformed, unknown, revoked or expired key", {
    "WWW-Authenticate": ref("WWWAuthenticate"),
    "Cache-Control": ref("CacheControl"),
  }),
  Forbidden: errorAnswer("The key lacks the scope, or its owner is suspended"),
  NotFound: errorAnswer("Not found, or not visible to the key's owner"),
  Conflict: errorAnswer("Conflicts with what is stored (an Idempotency-Key used elsewhere)"),
  PayloadTooLarge: errorAnswer(`The body is larger than ${MAX_BODY_BYTES / 1024 / 1024} MB`),
  UnsupportedMediaType: errorAnswer("The body is not application/json"),
  UnprocessableContent: errorAnswer("Invalid input, with the validation issues"),
  TooManyRequests: errorAnswer(
    "Too many requests for this key, or too many failed keys from this address",
    { ...rateLimited, "Retry-After": ref("RetryAfter") },
  ),
  InternalServerError: errorAnswer("Parley failed; the request changed nothing"),
  ServiceUnavailable: errorAnswer("The database cannot be reached right now", {
    "Retry-After": ref("RetryAfter"),
    "Cache-Control": ref("CacheControl"),
  }),
} as const;

const answer = (name: keyof typeof ERROR_RESPONSES) => ({
  $ref: `#/components/responses/${name}`,
});

const ERROR_ANSWERS = {
  "400": answer("BadRequest"),
  "401": answer("Unauthorized"),
  "403": answer("Forbidden"),
  "404": answer("NotFound"),
  "409": answer("Conflict"),
  "422": answer("UnprocessableContent"),
  "429": answer("TooManyRequests"),
  "500": answer("InternalServerError"),
  "503": answer("ServiceUnavailable"),
};

const BODY_ERROR_ANSWERS = {
  "413": answer("PayloadTooLarge"),
  "415": answer("UnsupportedMediaType"),
};

/** The OpenAPI 3.1 document, generated from the same zod schemas the handlers parse with. */
export function buildOpenApiDocument(serverUrl: string) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const { spec } of API_ROUTES) {
    const status = String(spec.status ?? 200);
    const success =
      status === "204" || !spec.response
        ? { description: "Done", headers: rateLimited }
        : {
            description: status === "201" ? "Created" : "OK",
            headers: rateLimited,
            content: { "application/json": { schema: spec.response } },
          };
    (paths[spec.path] ??= {})[spec.method.toLowerCase()] = {
      operationId: spec.operationId,
      summary: spec.summary,
      description: spec.scope ? `Requires the \`${spec.scope}\` scope.` : "Needs no key.",
      tags: [spec.tag],
      "x-required-scope": spec.scope,
      security: spec.scope ? [{ bearerAuth: [] }, { apiKeyHeader: [] }] : [],
      requestParams: {
        ...(spec.params ? { path: spec.params } : {}),
        ...(spec.query ? { query: spec.query } : {}),
        ...(spec.headers ? { header: spec.headers } : {}),
      },
      ...(spec.body
        ? {
            requestBody: { required: true, content: { "application/json": { schema: spec.body } } },
          }
        : {}),
      responses: {
        [status]: success,
        ...ERROR_ANSWERS,
        ...(spec.body ? BODY_ERROR_ANSWERS : {}),
      },
    };
  }
  return createDocument(
    {
      openapi: "3.1.0",
      info: {
        title: "Parley REST API",
        version: "1.0.0",
        contact: { name: "This Parley's administrators", url: serverUrl },
        description: [
          "Authenticate with `Authorization: Bearer <key>` (or `x-api-key`). Every call runs as the key's owner,",
          "in the workspace the key was made in, under the same row-level security as the app: it sees that",
          "workspace's chats and people only, and nothing once its owner has left the workspace. Calls are rate",
          "limited per key (RateLimit-* headers) and written to the owner's audit log.\n\nScopes:\n",
          ...API_SCOPES.map((s) => `- \`${s}\`: ${SCOPE_DESCRIPTIONS[s]}`),
        ]
          .join(" ")
          .replace(/ \n/g, "\n")
          .replace(/ - /g, "\n- "),
      },
      servers: [{ url: serverUrl, description: "This Parley" }],
      tags: [...TAGS],
      components: {
        securitySchemes: {
          bearerAuth: { type: "http", scheme: "bearer", description: "prl_<public id>_<secret>" },
          apiKeyHeader: { type: "apiKey", in: "header", name: "x-api-key" },
        },
        headers: HEADERS,
        responses: ERROR_RESPONSES,
      },
      paths,
    },
    {
      override: ({ jsonSchema, zodSchema, io }) => {
        // Dates travel as ISO 8601 strings, both ways.
        if (zodSchema._zod.def.type === "date") {
          jsonSchema.type = "string";
          jsonSchema.format = "date-time";
          if (io === "input") jsonSchema.description ??= "An ISO 8601 date and time";
        }
      },
    },
  );
}
