import "server-only";

import { z } from "zod";
import { createDocument } from "zod-openapi";
import { API_SCOPES, SCOPE_DESCRIPTIONS } from "@/contracts/api-keys";
import { API_ROUTES } from "./routes";

const errorSchema = z
  .object({
    error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }),
  })
  .meta({ id: "Error" });

const errorResponses = {
  "401": {
    description: "Missing, malformed, unknown, revoked or expired key",
    content: { "application/json": { schema: errorSchema } },
  },
  "403": {
    description: "The key lacks the scope, or its owner is suspended",
    content: { "application/json": { schema: errorSchema } },
  },
  "404": {
    description: "Not found, or not visible to the key's owner",
    content: { "application/json": { schema: errorSchema } },
  },
  "422": {
    description: "Invalid input, with the validation issues",
    content: { "application/json": { schema: errorSchema } },
  },
  "429": {
    description: "Rate limit exceeded (see Retry-After)",
    content: { "application/json": { schema: errorSchema } },
  },
} as const;

/** The OpenAPI 3.1 document, generated from the same zod schemas the handlers parse with. */
export function buildOpenApiDocument(serverUrl: string) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const { spec } of API_ROUTES) {
    const responses: Record<string, unknown> = { ...errorResponses };
    const status = String(spec.status ?? 200);
    responses[status] =
      status === "204" || !spec.response
        ? { description: "Done" }
        : { description: "OK", content: { "application/json": { schema: spec.response } } };
    if (spec.body) {
      responses["400"] = {
        description: "The body is not valid JSON",
        content: { "application/json": { schema: errorSchema } },
      };
      responses["413"] = {
        description: "The body is larger than 1 MB",
        content: { "application/json": { schema: errorSchema } },
      };
      responses["415"] = {
        description: "The body is not application/json",
        content: { "application/json": { schema: errorSchema } },
      };
    }
    (paths[spec.path] ??= {})[spec.method.toLowerCase()] = {
      summary: spec.summary,
      description: spec.scope ? `Requires the \`${spec.scope}\` scope.` : undefined,
      tags: [spec.tag],
      "x-required-scope": spec.scope,
      security: [{ bearerAuth: [] }, { apiKeyHeader: [] }],
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
      responses,
    };
  }
  return createDocument(
    {
      openapi: "3.1.0",
      info: {
        title: "Parley REST API",
        version: "1.0.0",
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
      servers: [{ url: serverUrl }],
      components: {
        securitySchemes: {
          bearerAuth: { type: "http", scheme: "bearer", description: "prl_<public id>_<secret>" },
          apiKeyHeader: { type: "apiKey", in: "header", name: "x-api-key" },
        },
      },
      paths,
    },
    {
      override: ({ jsonSchema, zodSchema, io }) => {
        // Dates travel as ISO 8601 strings.
        if (zodSchema._zod.def.type === "date" && io === "output") {
          jsonSchema.type = "string";
          jsonSchema.format = "date-time";
        }
      },
    },
  );
}
