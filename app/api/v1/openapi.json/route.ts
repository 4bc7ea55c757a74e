import { buildOpenApiDocument } from "@/server/api-v1/openapi";
import { env } from "@/server/env";

export function GET(): Response {
  return Response.json(buildOpenApiDocument(env.appUrl), {
    headers: { "cache-control": "public, max-age=300" },
  });
}
