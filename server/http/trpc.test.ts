import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { eq } from "drizzle-orm";
import superjson from "superjson";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { session as sessionTable } from "@/db/schema";
import { getAuth } from "@/server/auth";
import { useTestDatabase } from "@/test/database";
import { makeSessionsDueForExtension, setSessionExpiry, signUp, type TestUser } from "@/test/users";
import { handleTrpcRequest, isTrpcRequest, TRPC_MAX_BODY_BYTES } from "./trpc";

const database = useTestDatabase();

/** The tRPC endpoint as Parley's HTTP server serves it in production, over real HTTP. */
describe("tRPC over Parley's HTTP server", () => {
  let server: Server;
  let base: string;
  let alice: TestUser;

  beforeAll(async () => {
    alice = await signUp("Alice");
    server = createServer((req, res) => {
      if (isTrpcRequest(req.url)) void handleTrpcRequest(req, res);
      else res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/trpc`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("recognises only the tRPC endpoint", () => {
    expect(isTrpcRequest("/api/trpc/chats.list?input=%7B%7D")).toBe(true);
    expect(isTrpcRequest("/api/trpc/chats.list,chats.unreadTotal?batch=1")).toBe(true);
    expect(isTrpcRequest("/api/trpcx/chats.list")).toBe(false);
    expect(isTrpcRequest("/api/v1/chats")).toBe(false);
    expect(isTrpcRequest(undefined)).toBe(false);
  });

  it("answers a signed-in batch with the session's data and the security headers", async () => {
    const input = encodeURIComponent(
      JSON.stringify({
        0: { json: { limit: 10 } },
        1: { json: null, meta: { values: ["undefined"] } },
      }),
    );
    const response = await fetch(`${base}/chats.list,chats.unreadTotal?batch=1&input=${input}`, {
      headers: alice.headers,
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    expect(response.headers.get("x-frame-options")).toBe("DENY");
    const body = (await response.json()) as { result: { data: unknown } }[];
    expect(body.map((part) => superjson.deserialize(part.result.data as never))).toEqual([
      { items: [], nextCursor: null },
      { total: 0, chats: 0 },
    ]);
  });

  it("refuses a caller without a session, and a mutation sent as GET", async () => {
    const anonymous = await fetch(`${base}/chats.list`);
    expect(anonymous.status).toBe(401);
    const body = (await anonymous.json()) as { error: { json: { data: { code: string } } } };
    expect(body.error.json.data.code).toBe("UNAUTHORIZED");
    expect((await fetch(`${base}/messages.send`, { headers: alice.headers })).status).toBe(405);
    expect((await fetch(`${base}/no.such.procedure`, { headers: alice.headers })).status).toBe(404);
  });

  it("answers a body over the limit with 413 and a malformed path with 400", async () => {
    const tooLarge = await fetch(`${base}/messages.send`, {
      method: "POST",
      headers: { ...Object.fromEntries(alice.headers), "content-type": "application/json" },
      body: JSON.stringify({
        json: { chatId: crypto.randomUUID(), content: "x".repeat(TRPC_MAX_BODY_BYTES) },
      }),
    });
    expect(tooLarge.status).toBe(413);
    const malformed = await fetch(`${base}/chats.list%E0%A4%A?batch=1`, { headers: alice.headers });
    expect(malformed.status).toBe(400);
    // The server is still answering.
    expect((await fetch(`${base}/chats.list`, { headers: alice.headers })).status).toBe(200);
  });

  it("sends a message through the same router and RLS transaction", async () => {
    const created = await fetch(`${base}/chats.createGroup`, {
      method: "POST",
      headers: { ...Object.fromEntries(alice.headers), "content-type": "application/json" },
      body: JSON.stringify({ json: { name: "Over HTTP", memberIds: [] } }),
    });
    const chatId = ((await created.json()) as { result: { data: { json: { id: string } } } }).result
      .data.json.id;
    const sent = await fetch(`${base}/messages.send`, {
      method: "POST",
      headers: { ...Object.fromEntries(alice.headers), "content-type": "application/json" },
      body: JSON.stringify({ json: { chatId, content: "hello" } }),
    });
    expect(sent.status).toBe(200);
    const view = superjson.deserialize<{ content: string; status: string; createdAt: Date }>(
      ((await sent.json()) as { result: { data: never } }).result.data,
    );
    expect(view).toMatchObject({ content: "hello", status: "sent" });
    expect(view.createdAt).toBeInstanceOf(Date);
  });

  it("renews the session cookie when the session is extended, and never clears one", async () => {
    const bob = await signUp("Bob");
    const { sessionConfig, authCookies } = await getAuth().$context;
    const { expiresIn } = sessionConfig;
    const cookieName = authCookies.sessionToken.name;
    const sessionCookies = (response: Response) =>
      response.headers.getSetCookie().filter((c) => c.startsWith(`${cookieName}=`));

    const fresh = await fetch(`${base}/chats.list`, { headers: bob.headers });
    expect(fresh.status).toBe(200);
    expect(sessionCookies(fresh)).toEqual([]);

    // Last extended just over updateAge ago: Better Auth extends it and renews the cookie.
    await makeSessionsDueForExtension(bob);
    const due = await fetch(`${base}/chats.list`, { headers: bob.headers });
    expect(due.status).toBe(200);
    const [renewed] = sessionCookies(due);
    expect(renewed).toMatch(new RegExp(`Max-Age=${expiresIn}\\b`, "i"));
    expect(renewed).toMatch(/HttpOnly/i);
    const [stored] = await database.handle.db
      .select({ expiresAt: sessionTable.expiresAt })
      .from(sessionTable)
      .where(eq(sessionTable.userId, bob.id));
    expect(stored?.expiresAt.getTime()).toBeGreaterThan(Date.now() + (expiresIn - 60) * 1000);

    // Refused, but the cookie is left alone: the browser may hold a newer one by now.
    await setSessionExpiry(bob, new Date(Date.now() - 1000));
    const expired = await fetch(`${base}/chats.list`, { headers: bob.headers });
    expect(expired.status).toBe(401);
    expect(sessionCookies(expired)).toEqual([]);
  });
});
