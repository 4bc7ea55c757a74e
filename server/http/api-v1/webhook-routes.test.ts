import { beforeAll, describe, expect, it } from "vitest";
import type { ApiScope } from "@/contracts/api-keys";
import { useTestDatabase } from "@/test/database";
import { callerFor, signUp, type TestUser } from "@/test/users";
import {
  createWebhook,
  deleteWebhook,
  getWebhook,
  listWebhookLog,
  listWebhooks,
  redeliverWebhookDelivery,
  rotateWebhook,
  testWebhook,
  updateWebhook,
  type WEBHOOK_ROUTES,
} from "./webhook-routes";

useTestDatabase();

type Route = (typeof WEBHOOK_ROUTES)[number];

async function call(
  route: Route,
  key: string,
  options: { params?: Record<string, string>; query?: string; body?: unknown } = {},
) {
  const headers = new Headers({
    authorization: `Bearer ${key}`,
    "x-forwarded-for": "198.51.100.7",
  });
  if (options.body !== undefined) headers.set("content-type", "application/json");
  const path = route.spec.path.replace(
    /\{(\w+)\}/g,
    (_, name: string) => options.params?.[name] ?? "",
  );
  const response = await route.handle(
    new Request(`http://localhost:3000${path}${options.query ?? ""}`, {
      method: route.spec.method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    }),
    options.params ?? {},
  );
  const text = await response.text();
  return {
    status: response.status,
    body: text ? (JSON.parse(text) as Record<string, unknown>) : null,
  };
}

async function keyFor(who: TestUser, scopes: ApiScope[]): Promise<string> {
  const api = await callerFor(who);
  return (await api.apiKeys.create({ name: "hooks", scopes })).secret;
}

describe("REST v1 webhook routes", () => {
  let alice: TestUser;
  let writer: string;
  let reader: string;
  let stranger: string;

  beforeAll(async () => {
    alice = await signUp("Alice Rest Hooks");
    const bob = await signUp("Bob Rest Hooks");
    writer = await keyFor(alice, ["webhooks:read", "webhooks:write"]);
    reader = await keyFor(alice, ["webhooks:read"]);
    stranger = await keyFor(bob, ["webhooks:read", "webhooks:write"]);
  });

  it("manages an endpoint with a key that may, and shows the secret only when made", async () => {
    const created = await call(createWebhook, writer, {
      body: { url: "https://hooks.example.com/parley", eventTypes: ["message.created"] },
    });
    expect(created.status).toBe(201);
    const { endpoint, secret } = created.body as { endpoint: { id: string }; secret: string };
    expect(secret).toMatch(/^whsec_/);
    const params = { webhookId: endpoint.id };

    const listed = await call(listWebhooks, reader);
    expect(listed.status).toBe(200);
    expect(JSON.stringify(listed.body)).toContain(endpoint.id);
    expect(JSON.stringify(listed.body)).not.toContain(secret);

    const updated = await call(updateWebhook, writer, {
      params,
      body: { description: "orders", eventTypes: ["message.created", "member.joined"] },
    });
    expect(updated.body).toMatchObject({ description: "orders", enabled: true });

    const rotated = await call(rotateWebhook, writer, { params });
    expect((rotated.body as { secret: string }).secret).not.toBe(secret);

    const test = await call(testWebhook, writer, { params });
    expect(test.status).toBe(201);
    const log = await call(listWebhookLog, reader, { params, query: "?status=pending&limit=5" });
    expect((log.body as { items: { eventType: string }[] }).items).toMatchObject([
      { eventType: "webhook.test" },
    ]);
    // Not settled yet: nothing to send again.
    const deliveryId = String((test.body as { deliveryId: number }).deliveryId);
    expect((await call(redeliverWebhookDelivery, writer, { params: { deliveryId } })).status).toBe(
      404,
    );

    expect((await call(deleteWebhook, writer, { params })).status).toBe(204);
    expect((await call(getWebhook, reader, { params })).status).toBe(404);
  });

  it("refuses a key without the scope, another person's key, and addresses the server will not reach", async () => {
    const created = await call(createWebhook, writer, {
      body: { url: "https://hooks.example.com/mine", eventTypes: ["reaction.added"] },
    });
    const params = { webhookId: (created.body as { endpoint: { id: string } }).endpoint.id };

    expect(
      (
        await call(createWebhook, reader, {
          body: { url: "https://hooks.example.com/x", eventTypes: ["message.created"] },
        })
      ).status,
    ).toBe(403);
    for (const route of [getWebhook, deleteWebhook, rotateWebhook, testWebhook, listWebhookLog]) {
      expect({
        route: route.spec.operationId,
        status: (await call(route, stranger, { params })).status,
      }).toEqual({
        route: route.spec.operationId,
        status: 404,
      });
    }
    // Outside development, no loopback or private address, and never cloud metadata.
    for (const url of [
      "http://127.0.0.1:8080/hook",
      "https://10.0.0.8/hook",
      "https://169.254.169.254/latest",
    ]) {
      const refused = await call(createWebhook, writer, {
        body: { url, eventTypes: ["message.created"] },
      });
      expect({ url, status: refused.status }).toEqual({ url, status: 400 });
    }
    expect(
      (
        await call(createWebhook, writer, {
          body: { url: "https://hooks.example.com/", eventTypes: ["nope"] },
        })
      ).status,
    ).toBe(422);
  });
});
