import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useTestDatabase } from "@/test/database";
import { callerFor, signUp, type TestUser } from "@/test/users";
import { handleApiRequest, matchApiRoute } from "./http-handler";
import { getMe, getMyMeta, listChatMessages, postChatMessage } from "./routes";

useTestDatabase();

const CHAT = "3f1c2a9e-8b7d-4c6e-9f10-2a3b4c5d6e7f";

describe("matchApiRoute", () => {
  it("finds the route and its decoded path parameters", () => {
    expect(matchApiRoute("GET", `/api/v1/chats/${CHAT}/messages?limit=5`)).toEqual({
      route: listChatMessages,
      params: { chatId: CHAT },
    });
    expect(matchApiRoute("POST", `/api/v1/chats/${CHAT}/messages`)?.route).toBe(postChatMessage);
    expect(matchApiRoute("GET", "/api/v1/metas/theme%20colour")).toEqual({
      route: getMyMeta,
      params: { key: "theme colour" },
    });
    expect(matchApiRoute("GET", "/api/v1/me")?.route).toBe(getMe);
  });

  it("leaves everything else to Next", () => {
    for (const [method, url] of [
      ["DELETE", "/api/v1/me"], // a method the route does not have: Next answers 405
      ["GET", "/api/v1/nothing-here"],
      ["GET", "/api/v1/openapi.json"],
      ["GET", "/api/v1/metas/%E0%A4%A"], // a malformed escape: Next answers 400
      ["GET", `/api/v1/chats/${CHAT}/messages/extra`],
      ["GET", "/dashboard"],
    ] as const) {
      expect(matchApiRoute(method, url)).toBeUndefined();
    }
  });
});

describe("REST v1 over Parley's HTTP server", () => {
  let owner: TestUser;
  let secret: string;
  let chatId: string;
  let server: Server;
  let base: string;

  beforeAll(async () => {
    owner = await signUp("Rhea");
    const caller = await callerFor(owner);
    chatId = (await caller.chats.createGroup({ name: "Fast path", memberIds: [] })).id;
    ({ secret } = await caller.apiKeys.create({
      name: "fast",
      scopes: ["profile:read", "messages:read", "messages:write"],
    }));
    server = createServer((req, res) => {
      req.headers["x-forwarded-for"] = "198.51.100.7";
      const match = matchApiRoute(req.method, req.url);
      if (!match) {
        res.writeHead(404).end();
        return;
      }
      void handleApiRequest(req, res, match);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(() => {
    server?.close();
  });

  const auth = () => ({ authorization: `Bearer ${secret}` });

  it("answers as the route handler does, with Parley's security headers", async () => {
    const response = await fetch(`${base}/api/v1/me`, { headers: auth() });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/application\/json/);
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    expect(response.headers.get("x-frame-options")).toBe("DENY");
    expect(await response.json()).toMatchObject({ id: owner.id, name: "Rhea" });
  });

  it("passes a JSON body through, and reads the page it wrote", async () => {
    const sent = await fetch(`${base}/api/v1/chats/${chatId}/messages`, {
      method: "POST",
      headers: { ...auth(), "content-type": "application/json" },
      body: JSON.stringify({ content: "Sent through the fast path" }),
    });
    expect(sent.status).toBe(201);
    const page = await fetch(`${base}/api/v1/chats/${chatId}/messages?limit=1`, {
      headers: auth(),
    });
    expect(page.status).toBe(200);
    const body = (await page.json()) as { messages: { content: string }[] };
    expect(body.messages.map((m) => m.content)).toEqual(["Sent through the fast path"]);
  });

  it("refuses a missing key with 401 and a Bearer challenge", async () => {
    const response = await fetch(`${base}/api/v1/me`);
    expect(response.status).toBe(401);
    expect(response.headers.get("www-authenticate")).toMatch(/^Bearer/);
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
  });
});
