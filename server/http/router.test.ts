import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useTestDatabase } from "@/test/database";
import { callerFor, signUp, type TestUser } from "@/test/users";
import { getMe, getMyMeta, listChatMessages, postChatMessage } from "./api-v1/routes";
import { env } from "@/server/env";
import { createHttpHandler, router } from "./handler";
import { pageContentSecurityPolicy, responseSecurityHeaders } from "./security-headers";
import { Router } from "./router";
import { HTTP_PREFIXES, HTTP_ROUTES } from "./routes";

useTestDatabase();

const CHAT = "3f1c2a9e-8b7d-4c6e-9f10-2a3b4c5d6e7f";

describe("Router", () => {
  it("finds the route and its decoded path parameters", () => {
    const found = router.match("GET", `/api/v1/chats/${CHAT}/messages`);
    expect(found).toMatchObject({
      kind: "route",
      route: { handle: listChatMessages.handle },
      params: { chatId: CHAT },
    });
    const posted = router.match("POST", `/api/v1/chats/${CHAT}/messages`);
    expect(posted.kind === "route" && posted.route.handle).toBe(postChatMessage.handle);
    expect(router.match("GET", "/api/v1/metas/theme%20colour")).toMatchObject({
      kind: "route",
      route: { handle: getMyMeta.handle },
      params: { key: "theme colour" },
    });
    expect(router.match("GET", "/api/v1/me")).toMatchObject({ route: { handle: getMe.handle } });
  });

  it("serves HEAD with a path's GET route unless it has a HEAD route of its own", () => {
    expect(router.match("HEAD", "/api/v1/me")).toMatchObject({
      kind: "route",
      route: { method: "GET", handle: getMe.handle },
    });
    expect(router.match("HEAD", "/emojibase/1/en/data.json")).toMatchObject({
      kind: "route",
      route: { method: "HEAD" },
    });
  });

  it("takes the rest of the path for {name*}", () => {
    expect(router.match("GET", "/storage/v1/object/sign/attachments/a/b/c.png")).toMatchObject({
      kind: "route",
      params: { bucket: "attachments", path: "a/b/c.png" },
    });
    expect(router.match("POST", "/api/auth/sign-in/email")).toMatchObject({
      params: { path: "sign-in/email" },
    });
  });

  it("tells a wrong method, a malformed escape and an unknown path apart", () => {
    expect(router.match("DELETE", "/api/v1/me")).toEqual({
      kind: "method-not-allowed",
      allow: ["GET", "HEAD"],
    });
    expect(router.match("PATCH", "/api/v1/metas/theme")).toEqual({
      kind: "method-not-allowed",
      allow: ["GET", "PUT", "DELETE", "HEAD"],
    });
    expect(router.match("POST", "/api/me/avatar")).toMatchObject({ kind: "route" });
    expect(router.match("HEAD", "/api/me/avatar")).toEqual({
      kind: "method-not-allowed",
      allow: ["POST", "DELETE"],
    });
    expect(router.match("GET", "/api/v1/metas/%E0%A4%A")).toEqual({ kind: "bad-path" });
    for (const pathname of [
      "/api/v1/nothing-here",
      `/api/v1/chats/${CHAT}/messages/extra`,
      "/dashboard",
    ]) {
      expect(router.match("GET", pathname)).toEqual({ kind: "none" });
    }
  });

  it("keeps every route under one of the HTTP layer's prefixes", () => {
    const outside = HTTP_ROUTES.filter(
      (route) => !HTTP_PREFIXES.some((prefix) => route.path.startsWith(prefix)),
    );
    expect(outside).toEqual([]);
  });

  it("refuses a table with a route twice or a rest parameter before the end", () => {
    const handle = () => new Response();
    expect(
      () =>
        new Router([
          { method: "GET", path: "/a", handle },
          { method: "GET", path: "/a", handle },
        ]),
    ).toThrow(/twice/);
    expect(() => new Router([{ method: "GET", path: "/a/{rest*}/b", handle }])).toThrow(/end/);
  });
});

describe("Parley's HTTP layer over real HTTP", () => {
  let owner: TestUser;
  let secret: string;
  let chatId: string;
  let server: Server;
  let base: string;
  const fellThrough: string[] = [];
  const forwardedFor: (string | string[] | undefined)[] = [];
  const pageNonces: { policy: string | undefined; nonce: string | string[] | undefined }[] = [];

  beforeAll(async () => {
    owner = await signUp("Rhea");
    const caller = await callerFor(owner);
    chatId = (await caller.chats.createGroup({ name: "One layer", memberIds: [] })).id;
    ({ secret } = await caller.apiKeys.create({
      name: "layer",
      scopes: ["profile:read", "messages:read", "messages:write"],
    }));
    server = createServer(
      createHttpHandler({
        realtimeGateway: undefined,
        fallback: (req, res) => {
          fellThrough.push(req.url ?? "");
          forwardedFor.push(req.headers["x-forwarded-for"], req.headers["x-real-ip"]);
          pageNonces.push({
            policy: req.headers["content-security-policy"] as string | undefined,
            nonce: req.headers["x-nonce"],
          });
          res.writeHead(204).end();
        },
      }),
    );
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const auth = () => ({ authorization: `Bearer ${secret}` });

  it("answers REST v1 with Parley's security headers", async () => {
    const response = await fetch(`${base}/api/v1/me`, { headers: auth() });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/application\/json/);
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    expect(response.headers.get("x-frame-options")).toBe("DENY");
    expect(response.headers.get("cross-origin-resource-policy")).toBe("same-origin");
    // Camera, microphone and screen for calls on Parley's own pages, and for nothing else.
    expect(response.headers.get("permissions-policy")).toBe(
      "camera=(self), microphone=(self), display-capture=(self), geolocation=()",
    );
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(response.headers.get("content-security-policy")).toBeNull();
    expect(await response.json()).toMatchObject({ id: owner.id, name: "Rhea" });
  });

  it("passes a JSON body through, and reads the page it wrote", async () => {
    const sent = await fetch(`${base}/api/v1/chats/${chatId}/messages`, {
      method: "POST",
      headers: { ...auth(), "content-type": "application/json" },
      body: JSON.stringify({ content: "Sent through the one layer" }),
    });
    expect(sent.status).toBe(201);
    const page = await fetch(`${base}/api/v1/chats/${chatId}/messages?limit=1`, {
      headers: auth(),
    });
    expect(page.status).toBe(200);
    const body = (await page.json()) as { messages: { content: string }[] };
    expect(body.messages.map((m) => m.content)).toEqual(["Sent through the one layer"]);
  });

  it("refuses a missing key with 401 and a Bearer challenge", async () => {
    const response = await fetch(`${base}/api/v1/me`);
    expect(response.status).toBe(401);
    expect(response.headers.get("www-authenticate")).toMatch(/^Bearer/);
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
  });

  it("answers its own paths that match nothing, in the one error shape", async () => {
    const unknown = await fetch(`${base}/api/v1/nothing-here`);
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({
      error: { code: "NOT_FOUND", message: "No such endpoint" },
    });
    const wrongMethod = await fetch(`${base}/api/v1/me`, { method: "DELETE", headers: auth() });
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get("allow")).toBe("GET, HEAD");
    const head = await fetch(`${base}/api/v1/me`, { method: "HEAD", headers: auth() });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe("");
    expect(((await wrongMethod.json()) as { error: { code: string } }).error.code).toBe(
      "METHOD_NOT_SUPPORTED",
    );
    const malformed = await fetch(`${base}/api/v1/metas/%E0%A4%A`, { headers: auth() });
    expect(malformed.status).toBe(400);
    expect((await fetch(`${base}/storage/v1/nothing`)).status).toBe(404);
    expect(fellThrough).toEqual([]);
  });

  it("serves Better Auth, the OpenAPI document and the emoji data", async () => {
    const session = await fetch(`${base}/api/auth/get-session`, { headers: owner.headers });
    expect(session.status).toBe(200);
    expect(((await session.json()) as { user: { id: string } }).user.id).toBe(owner.id);
    const document = await fetch(`${base}/api/v1/openapi.json`);
    expect(document.status).toBe(200);
    expect(((await document.json()) as { openapi: string }).openapi).toMatch(/^3\.1/);
    const emoji = await fetch(`${base}/emojibase/nope/en/data.json`, { method: "HEAD" });
    expect(emoji.status).toBe(404);
  });

  it("hands everything else to the fallback, with the client address pinned", async () => {
    const page = await fetch(`${base}/dashboard?tab=1`, {
      headers: { "x-forwarded-for": "203.0.113.9", "x-real-ip": "203.0.113.9" },
    });
    expect(page.status).toBe(204);
    expect(fellThrough).toEqual(["/dashboard?tab=1"]);
    // A page path that cannot be decoded is answered here, never handed on.
    const malformed = await fetch(`${base}/chat/%ZZ`);
    expect(malformed.status).toBe(400);
    expect(malformed.headers.get("x-frame-options")).toBe("DENY");
    expect(fellThrough).toEqual(["/dashboard?tab=1"]);
    // No trusted proxy: the address is the connection's own, whatever the client wrote.
    expect(forwardedFor).toEqual(["127.0.0.1", undefined]);
  });

  it("refuses a cookie-authenticated upload or avatar change from another site", async () => {
    const cookie = Object.fromEntries(owner.headers);
    const requests = [
      { method: "POST", path: `/api/chats/${chatId}/attachments` },
      { method: "POST", path: "/api/me/avatar" },
      { method: "DELETE", path: "/api/me/avatar" },
    ];
    for (const { method, path } of requests) {
      const provenances: Record<string, string>[] = [
        { origin: "https://evil.example" },
        { origin: "null" },
        {},
        { "sec-fetch-site": "cross-site" },
      ];
      for (const provenance of provenances) {
        const form = new FormData();
        form.append("file", new Blob(["hello"], { type: "text/plain" }), "a.txt");
        const refused = await fetch(`${base}${path}`, {
          method,
          headers: { ...cookie, ...provenance },
          ...(method === "POST" ? { body: form } : {}),
        });
        expect(refused.status, `${method} ${path} ${JSON.stringify(provenance)}`).toBe(403);
        expect(((await refused.json()) as { error: { code: string } }).error.code).toBe(
          "FORBIDDEN",
        );
      }
    }
    // From the app's own page, the same removal runs.
    const own = await fetch(`${base}/api/me/avatar`, {
      method: "DELETE",
      headers: { ...cookie, origin: env.appUrl },
    });
    expect(own.status).toBe(200);
  });

  it("marks every cookie-authenticated state change as same-origin only", () => {
    // REST v1 authenticates by API key and Better Auth checks origins itself; every other
    // route that changes something is a browser's, by cookie.
    const unguarded = router
      .list()
      .filter(
        (route) =>
          route.method !== "GET" &&
          route.method !== "HEAD" &&
          !route.path.startsWith("/api/v1/") &&
          !route.path.startsWith("/api/auth/") &&
          !route.sameOriginOnly &&
          !route.byUrlToken,
      )
      .map((route) => `${route.method} ${route.path}`);
    expect(unguarded).toEqual([]);
    // And the routes a token in the URL authenticates are these, on purpose.
    expect(
      router
        .list()
        .filter((route) => route.byUrlToken)
        .map((r) => r.path),
    ).toEqual(["/api/notifications/unsubscribe"]);
  });

  it("gives every page a Content-Security-Policy with a fresh nonce, and tells Next the nonce", async () => {
    pageNonces.length = 0;
    const first = await fetch(`${base}/chat`, {
      headers: { "content-security-policy": "script-src *", "x-nonce": "chosen" },
    });
    const second = await fetch(`${base}/settings`);
    const policies = [first, second].map((r) => r.headers.get("content-security-policy") ?? "");
    const nonces = policies.map((p) => /'nonce-([^']+)'/.exec(p)?.[1]);
    expect(nonces[0]).toMatch(/^[A-Za-z0-9+/]{22}==$/);
    expect(nonces[1]).not.toBe(nonces[0]);
    // What the client claimed is replaced by what Parley chose.
    expect(pageNonces).toEqual([
      { policy: policies[0], nonce: nonces[0] },
      { policy: policies[1], nonce: nonces[1] },
    ]);
    for (const policy of policies) {
      expect(policy).toContain("'strict-dynamic'");
      expect(policy).toContain("object-src 'none'");
      expect(policy).toContain("frame-ancestors 'none'");
      expect(policy).not.toContain("unsafe-eval");
    }
    expect(first.headers.get("cross-origin-opener-policy")).toBe("same-origin");
    expect(first.headers.get("cross-origin-resource-policy")).toBe("same-origin");
    expect(first.headers.get("x-content-type-options")).toBe("nosniff");
    // APP_URL is http here: no HSTS.
    expect(first.headers.get("strict-transport-security")).toBeNull();
  });
});

describe("security headers by configuration", () => {
  it("adds HSTS when APP_URL is https, and Supabase to the page policy in Supabase mode", () => {
    const https = responseSecurityHeaders({ appUrl: "https://parley.example", development: false });
    expect(Object.fromEntries(https)["Strict-Transport-Security"]).toMatch(/max-age=\d+/);
    const policy = pageContentSecurityPolicy("n0nce", {
      appUrl: "https://parley.example",
      supabaseUrl: "https://abc.supabase.co",
      development: true,
    });
    expect(policy).toContain("connect-src 'self' https://abc.supabase.co wss://abc.supabase.co");
    expect(policy).toContain("img-src 'self' data: blob: https://abc.supabase.co");
    expect(policy).toContain("'unsafe-eval'");
  });
});
