import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { API_SCOPES } from "@/contracts/api-keys";
import { env } from "@/server/env";
import { buildOpenApiDocument } from "@/server/http/api-v1/openapi";
import { useTestDatabase } from "@/test/database";
import { startHttpTestServer, type HttpTestServer } from "@/test/http-server";
import { callerFor, signUp } from "@/test/users";
import { arbitraryFor, type JsonSchema } from "./json-schema-arbitrary";
import { checkProperty, expectNoServerFault } from "./fuzz-settings";

useTestDatabase();

/**
 * Every REST v1 operation, read from the OpenAPI document the API serves — a route added
 * tomorrow is fuzzed without anyone listing it — called with a key holding every scope, with
 * path parameters, query and body drawn from its documented schemas. No call may answer 5xx
 * or show a stack.
 */
interface Parameter {
  name: string;
  in: "path" | "query" | "header";
  required?: boolean;
  schema: JsonSchema;
}
interface Operation {
  parameters?: Parameter[];
  requestBody?: { content: Record<string, { schema: JsonSchema }> };
}

const document = buildOpenApiDocument(env.appUrl) as unknown as JsonSchema & {
  paths: Record<string, Record<string, Operation>>;
};
const operations = Object.entries(document.paths).flatMap(([path, methods]) =>
  Object.entries(methods).map(([method, operation]) => ({
    name: `${method.toUpperCase()} ${path}`,
    path,
    method: method.toUpperCase(),
    operation,
  })),
);

let server: HttpTestServer;
let base: string;

beforeAll(async () => {
  server = await startHttpTestServer();
  base = server.url;
});
afterAll(() => server.close());

/** A path segment; text no URI can hold (a lone surrogate) is sent as its malformed escape. */
function pathSegment(text: string): string {
  try {
    return encodeURIComponent(text);
  } catch {
    return "%ED%A0%80";
  }
}

const asText = (value: unknown) =>
  typeof value === "string" ? value : (JSON.stringify(value) ?? String(value));

/** One request's parts, drawn from the operation's parameters and body schema. */
function requestArbitrary(operation: Operation, ids: string[]) {
  const parts: Record<string, fc.Arbitrary<unknown>> = {};
  for (const parameter of operation.parameters ?? []) {
    const value = arbitraryFor(parameter.schema, { ids }, document);
    parts[`${parameter.in}:${parameter.name}`] =
      parameter.required || parameter.in === "path" ? value : fc.option(value, { nil: undefined });
  }
  const body = operation.requestBody?.content["application/json"]?.schema;
  if (body) parts.body = arbitraryFor(body, { ids }, document);
  return fc.record(parts);
}

describe("every REST v1 operation, fuzzed over HTTP", () => {
  it("finds the operations", () => {
    expect(operations.length).toBeGreaterThan(8);
  });

  it.each(operations.map((o) => [o.name, o] as const))(
    "%s answers bad input with 4xx, never 5xx",
    async (name, { path, method, operation }) => {
      const owner = await signUp("Restfuzz");
      const caller = await callerFor(owner);
      const chat = await caller.chats.createGroup({ name: "Fuzzed", memberIds: [] });
      const message = await caller.messages.send({ chatId: chat.id, content: "a message" });
      const { secret } = await caller.apiKeys.create({ name: "fuzz", scopes: [...API_SCOPES] });
      const ids = [owner.id, chat.id, message.id];
      await checkProperty(
        name,
        fc.asyncProperty(requestArbitrary(operation, ids), async (parts) => {
          let url = path;
          const query = new URLSearchParams();
          const headers: Record<string, string> = { authorization: `Bearer ${secret}` };
          for (const [key, value] of Object.entries(parts)) {
            if (value === undefined || key === "body") continue;
            const [where, param] = key.split(":") as [string, string];
            if (where === "path") url = url.replace(`{${param}}`, pathSegment(asText(value)));
            else if (where === "query") query.set(param, asText(value));
            else if (where === "header")
              headers[param] = asText(value).replace(/[^\x20-\x7e]/g, "");
          }
          const hasBody = "body" in parts;
          if (hasBody) headers["content-type"] = "application/json";
          const response = await fetch(`${base}${url}${query.size ? `?${query}` : ""}`, {
            method,
            headers,
            ...(hasBody ? { body: JSON.stringify(parts.body) } : {}),
          });
          await expectNoServerFault(response, name);
        }),
      );
    },
    120_000,
  );
});
