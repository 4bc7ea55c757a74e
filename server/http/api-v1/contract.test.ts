import { readFileSync } from "node:fs";
import spectralCore from "@stoplight/spectral-core";
import spectralParsers from "@stoplight/spectral-parsers";
import { oas } from "@stoplight/spectral-rulesets";
import Ajv2020 from "ajv/dist/2020";
import addFormats from "ajv-formats";
import createClient, { type Middleware } from "openapi-fetch";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { API_SCOPES } from "@/contracts/api-keys";
import type { paths } from "@/contracts/rest-v1.generated";
import { env } from "@/server/env";
import { useTestDatabase } from "@/test/database";
import { startHttpTestServer, type HttpTestServer } from "@/test/http-server";
import { callerFor, signUp, type TestUser } from "@/test/users";
import { HTTP_ROUTES } from "../routes";
import { CLIENT_TYPES_FILE, generateClientTypes } from "./client-types";
import { buildOpenApiDocument } from "./openapi";

useTestDatabase();

type Json = Record<string, unknown>;
const document = buildOpenApiDocument("http://localhost:3000") as unknown as {
  paths: Record<string, Record<string, Json>>;
  components: { responses: Record<string, Json> };
};
const METHODS = ["get", "put", "post", "delete", "patch"] as const;

/** Every documented operation, with a matcher for the concrete URLs it serves. */
const operations = Object.entries(document.paths).flatMap(([path, item]) =>
  METHODS.filter((method) => item[method]).map((method) => ({
    path,
    method: method.toUpperCase(),
    operation: item[method]!,
    operationId: item[method]!.operationId as string,
    pattern: new RegExp(`^${path.replace(/\{[^}]+\}/g, "[^/]+")}$`),
  })),
);

const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);
ajv.addSchema({ ...document, $id: "parley-rest-v1" });

const pointer = (...parts: string[]) =>
  parts.map((p) => p.replace(/~/g, "~0").replace(/\//g, "~1")).join("/");

/** The documented response for a status, followed through `$ref`, with its JSON pointer. */
function documentedResponse(op: (typeof operations)[number], status: number) {
  const declared = (op.operation.responses as Record<string, Json>)[String(status)];
  if (!declared) return null;
  const target = declared.$ref as string | undefined;
  if (target) {
    const name = target.split("/").pop()!;
    return {
      response: document.components.responses[name]!,
      at: pointer("components", "responses", name),
    };
  }
  return {
    response: declared,
    at: pointer("paths", op.path, op.method.toLowerCase(), "responses", String(status)),
  };
}

const SENT_HEADERS = [
  "ratelimit-limit",
  "ratelimit-remaining",
  "ratelimit-reset",
  "retry-after",
  "www-authenticate",
  "cache-control",
];

interface Checked {
  operationId: string;
  status: number;
}
const checked: Checked[] = [];
const problems: string[] = [];

/**
 * Checks every answer against the document: the operation is documented, its status is, every
 * header Parley sends is declared on that response, and the body matches the schema.
 */
async function check(request: Request, response: Response): Promise<void> {
  const url = new URL(request.url);
  const op = operations.find((o) => o.method === request.method && o.pattern.test(url.pathname));
  const where = `${request.method} ${url.pathname} → ${response.status}`;
  if (!op) {
    problems.push(`${where}: no documented operation`);
    return;
  }
  checked.push({ operationId: op.operationId, status: response.status });
  const documented = documentedResponse(op, response.status);
  if (!documented) {
    problems.push(`${where}: status not documented for ${op.operationId}`);
    return;
  }
  const declaredHeaders = Object.keys((documented.response.headers as Json | undefined) ?? {}).map(
    (h) => h.toLowerCase(),
  );
  for (const header of SENT_HEADERS) {
    if (response.headers.has(header) && !declaredHeaders.includes(header)) {
      problems.push(`${where}: header ${header} not declared`);
    }
  }
  const text = await response.text();
  const content = documented.response.content as Json | undefined;
  if (!content) {
    if (text !== "") problems.push(`${where}: body where none is documented`);
    return;
  }
  if (response.headers.get("content-type") !== "application/json") {
    problems.push(`${where}: content-type ${response.headers.get("content-type")}`);
    return;
  }
  const schemaRef = `parley-rest-v1#/${documented.at}/${pointer("content", "application/json", "schema")}`;
  if (!ajv.validate({ $ref: schemaRef }, JSON.parse(text))) {
    problems.push(`${where}: body does not match its schema: ${ajv.errorsText()}`);
  }
}

const validateAnswers: Middleware = {
  async onResponse({ request, response }) {
    await check(request, response.clone());
    return response;
  },
};

describe("the REST v1 contract", () => {
  let server: HttpTestServer;
  let alice: TestUser;
  let bob: TestUser;
  let carol: TestUser;
  let api: ReturnType<typeof createClient<paths>>;
  let narrow: ReturnType<typeof createClient<paths>>;
  let keyless: ReturnType<typeof createClient<paths>>;

  beforeAll(async () => {
    server = await startHttpTestServer();
    [alice, bob, carol] = [await signUp("Alice"), await signUp("Bob"), await signUp("Carol")];
    const keyFor = async (scopes: (typeof API_SCOPES)[number][]) =>
      (await (await callerFor(alice)).apiKeys.create({ name: "contract", scopes })).secret;
    const client = (key: string | null) => {
      const made = createClient<paths>({
        baseUrl: server.url,
        headers: key ? { authorization: `Bearer ${key}` } : {},
      });
      made.use(validateAnswers);
      return made;
    };
    api = client(await keyFor([...API_SCOPES]));
    narrow = client(await keyFor(["profile:read"]));
    keyless = client(null);
  });

  afterAll(() => server.close());

  it("is clean under Spectral's spectral:oas ruleset", async () => {
    const spectral = new spectralCore.Spectral();
    spectral.setRuleset({ extends: [oas as never] });
    const results = await spectral.run(
      new spectralCore.Document(JSON.stringify(document), spectralParsers.Json, "openapi.json"),
    );
    expect(results.map((r) => `${r.code} at ${r.path.join(".")}: ${r.message}`)).toEqual([]);
  });

  it("has client types generated from the document as it is now", async () => {
    expect(readFileSync(CLIENT_TYPES_FILE, "utf8")).toBe(await generateClientTypes());
  });

  it("documents every REST v1 route the server serves, and serves every documented one", () => {
    const served = HTTP_ROUTES.filter(
      (r) => r.path.startsWith("/api/v1/") && r.path !== "/api/v1/openapi.json",
    ).map((r) => `${r.method} ${r.path}`);
    const documented = operations.map((o) => `${o.method} ${o.path}`);
    expect([...served].sort()).toEqual([...documented].sort());
    expect(new Set(operations.map((o) => o.operationId)).size).toBe(operations.length);
  });

  it("answers unknown REST v1 paths and methods in JSON", async () => {
    const unknown = await fetch(`${server.url}/api/v1/no-such-thing`);
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { error: { code: string } }).error.code).toBe("NOT_FOUND");
    const wrongMethod = await fetch(`${server.url}/api/v1/me`, { method: "PATCH" });
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get("allow")).toBe("GET, HEAD");
    expect(((await wrongMethod.json()) as { error: { code: string } }).error.code).toBe(
      "METHOD_NOT_SUPPORTED",
    );
  });

  it("calls every operation with a typed client, and every answer matches the document", async () => {
    expect((await api.GET("/api/v1/me")).data?.id).toBe(alice.id);
    expect(
      (
        await api.PUT("/api/v1/metas/{key}", {
          params: { path: { key: "contract.theme" } },
          body: { value: { mode: "dark", sizes: [1, 2] }, isPublic: false },
        })
      ).response.status,
    ).toBe(200);
    expect((await api.GET("/api/v1/metas")).data?.items.length).toBeGreaterThan(0);
    expect(
      (await api.GET("/api/v1/metas/{key}", { params: { path: { key: "contract.theme" } } })).data
        ?.value,
    ).toEqual({ mode: "dark", sizes: [1, 2] });
    await api.DELETE("/api/v1/metas/{key}", { params: { path: { key: "contract.theme" } } });

    const direct = await api.POST("/api/v1/chats", { body: { type: "direct", userId: bob.id } });
    expect(direct.response.status).toBe(201);
    const group = await api.POST("/api/v1/chats", {
      body: { type: "group", name: "Contract", memberIds: [bob.id] },
    });
    const chatId = group.data!.id;
    expect((await api.GET("/api/v1/chats")).data?.items.some((c) => c.id === chatId)).toBe(true);
    const added = await api.POST("/api/v1/chats/{chatId}/members", {
      params: { path: { chatId } },
      body: { userIds: [carol.id] },
    });
    expect(added.data?.members.map((m) => m.userId)).toContain(carol.id);
    const removed = await api.DELETE("/api/v1/chats/{chatId}/members/{userId}", {
      params: { path: { chatId, userId: carol.id } },
    });
    expect(removed.response.status).toBe(204);
    expect(
      (await api.GET("/api/v1/chats/{chatId}", { params: { path: { chatId } } })).data?.members
        .map((m) => m.userId)
        .sort(),
    ).toEqual([alice.id, bob.id].sort());

    const sent = await api.POST("/api/v1/chats/{chatId}/messages", {
      params: { path: { chatId }, header: { "idempotency-key": "contract-1" } },
      body: { content: "Hello from the contract" },
    });
    const messageId = sent.data!.id;
    await api.POST("/api/v1/chats/{chatId}/messages", {
      params: { path: { chatId } },
      body: { content: "In the thread", threadRootId: messageId },
    });
    const page = await api.GET("/api/v1/chats/{chatId}/messages", {
      params: { path: { chatId }, query: { limit: 10 } },
    });
    expect(page.data?.messages.some((m) => m.id === messageId)).toBe(true);
    const thread = await api.GET("/api/v1/messages/{messageId}/thread", {
      params: { path: { messageId } },
    });
    expect(thread.data?.messages).toHaveLength(1);
    const edited = await api.PUT("/api/v1/messages/{messageId}", {
      params: { path: { messageId } },
      body: { content: "Hello, edited" },
    });
    expect(edited.data?.content).toBe("Hello, edited");
    await api.PUT("/api/v1/messages/{messageId}/reactions/{emoji}", {
      params: { path: { messageId, emoji: "👍" } },
    });
    await api.DELETE("/api/v1/messages/{messageId}/reactions/{emoji}", {
      params: { path: { messageId, emoji: "👍" } },
    });
    const read = await api.POST("/api/v1/chats/{chatId}/read", {
      params: { path: { chatId } },
      body: { seq: sent.data!.seq },
    });
    expect(read.data?.lastReadSeq).toBeGreaterThanOrEqual(sent.data!.seq);
    const token = await api.POST("/api/v1/realtime/token");
    expect(token.response.status).toBe(201);
    expect(token.data?.url).toBe(env.appUrl);
    const hook = await api.POST("/api/v1/webhooks", {
      body: { url: "https://hooks.example.com/parley", eventTypes: ["message.created"] },
    });
    expect(hook.data?.secret).toMatch(/^whsec_/);
    const webhookId = hook.data!.endpoint.id;
    expect((await api.GET("/api/v1/webhooks")).data?.items.map((w) => w.id)).toContain(webhookId);
    await api.GET("/api/v1/webhooks/{webhookId}", { params: { path: { webhookId } } });
    const changed = await api.PATCH("/api/v1/webhooks/{webhookId}", {
      params: { path: { webhookId } },
      body: { eventTypes: ["message.created", "member.joined"] },
    });
    expect(changed.data?.eventTypes).toEqual(["message.created", "member.joined"]);
    await api.POST("/api/v1/webhooks/{webhookId}/rotate-secret", {
      params: { path: { webhookId } },
    });
    const test = await api.POST("/api/v1/webhooks/{webhookId}/test", {
      params: { path: { webhookId } },
    });
    const log = await api.GET("/api/v1/webhooks/{webhookId}/deliveries", {
      params: { path: { webhookId }, query: { limit: 5 } },
    });
    expect(log.data?.items.map((d) => d.eventType)).toContain("webhook.test");
    // Still pending: there is no settled delivery to send again.
    await api.POST("/api/v1/webhook-deliveries/{deliveryId}/redeliver", {
      params: { path: { deliveryId: test.data!.deliveryId } },
    });
    await api.DELETE("/api/v1/webhooks/{webhookId}", { params: { path: { webhookId } } });
    await api.DELETE("/api/v1/messages/{messageId}", { params: { path: { messageId } } });
    const bobsGroup = await (
      await callerFor(bob)
    ).chats.createGroup({ name: "Bob's", memberIds: [alice.id] });
    const leave = await api.DELETE("/api/v1/chats/{chatId}/members/{userId}", {
      params: { path: { chatId: bobsGroup.id, userId: alice.id } },
    });
    expect(leave.response.status).toBe(204);
    await api.GET("/api/v1/audit-logs", {
      params: { query: { from: new Date(Date.now() - 3_600_000).toISOString() } },
    });

    // Failures are answers of the document too.
    expect((await keyless.GET("/api/v1/me")).response.status).toBe(401);
    expect((await narrow.GET("/api/v1/chats")).response.status).toBe(403);
    const elsewhere = "00000000-0000-4000-8000-000000000000";
    expect(
      (await api.GET("/api/v1/chats/{chatId}", { params: { path: { chatId: elsewhere } } }))
        .response.status,
    ).toBe(404);
    expect(
      (await api.GET("/api/v1/chats", { params: { query: { cursor: "not-a-cursor" } } })).response
        .status,
    ).toBe(400);
    const other = await api.POST("/api/v1/chats", {
      body: { type: "group", name: "Other", memberIds: [] },
    });
    expect(
      (
        await api.POST("/api/v1/chats/{chatId}/messages", {
          params: { path: { chatId: other.data!.id }, header: { "idempotency-key": "contract-1" } },
          body: { content: "Hello from the contract" },
        })
      ).response.status,
    ).toBe(409);
    expect(
      (
        await api.POST("/api/v1/chats/{chatId}/read", {
          params: { path: { chatId } },
          body: { seq: -1 },
        })
      ).response.status,
    ).toBe(422);

    expect(problems).toEqual([]);
    const called = new Set(checked.map((c) => c.operationId));
    expect(operations.map((o) => o.operationId).filter((id) => !called.has(id))).toEqual([]);
    expect(new Set(checked.map((c) => c.status))).toEqual(
      new Set([200, 201, 204, 400, 401, 403, 404, 409, 422]),
    );
  });
});
