import { eq } from "drizzle-orm";
import superjson from "superjson";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { session as sessionTable } from "@/db/schema";
import { getAuth } from "@/server/auth";
import { env } from "@/server/env";
import { useTestDatabase } from "@/test/database";
import { startHttpTestServer, type HttpTestServer } from "@/test/http-server";
import { makeSessionsDueForExtension, setSessionExpiry, signUp, type TestUser } from "@/test/users";
import { isTrpcRequest, TRPC_MAX_BODY_BYTES } from "./trpc";

const database = useTestDatabase();

/** What a browser page of the app sends with a call: its cookie, its Origin, JSON. */
const post = (who: TestUser, extra: Record<string, string> = {}) => ({
  ...Object.fromEntries(who.headers),
  origin: env.appUrl,
  "content-type": "application/json",
  ...extra,
});

/** The tRPC endpoint as Parley's HTTP server serves it in production, over real HTTP. */
describe("tRPC over Parley's HTTP server", () => {
  let server: HttpTestServer;
  let base: string;
  let alice: TestUser;

  beforeAll(async () => {
    alice = await signUp("Alice");
    server = await startHttpTestServer();
    base = `${server.url}/api/trpc`;
  });
  afterAll(() => server.close());

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
      headers: post(alice),
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
      headers: post(alice),
      body: JSON.stringify({ json: { name: "Over HTTP", memberIds: [] } }),
    });
    const chatId = ((await created.json()) as { result: { data: { json: { id: string } } } }).result
      .data.json.id;
    const sent = await fetch(`${base}/messages.send`, {
      method: "POST",
      headers: post(alice),
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

  describe("what is refused before any call runs", () => {
    const sendTo = (chatId: string, content: string, headers: Record<string, string>) =>
      fetch(`${base}/messages.send`, {
        method: "POST",
        headers,
        body: JSON.stringify({ json: { chatId, content } }),
      });
    let chatId: string;

    beforeAll(async () => {
      const created = await fetch(`${base}/chats.createGroup`, {
        method: "POST",
        headers: post(alice),
        body: JSON.stringify({ json: { name: "Refusals", memberIds: [] } }),
      });
      chatId = ((await created.json()) as { result: { data: { json: { id: string } } } }).result
        .data.json.id;
    });

    const messageCount = async () => {
      const input = encodeURIComponent(JSON.stringify({ json: { chatId, limit: 100 } }));
      const listed = await fetch(`${base}/messages.list?input=${input}`, {
        headers: alice.headers,
      });
      const page = superjson.deserialize<{ messages: unknown[] }>(
        ((await listed.json()) as { result: { data: never } }).result.data,
      );
      return page.messages.length;
    };

    it("a batch larger than TRPC_MAX_BATCH, with 400 and no call run", async () => {
      const paths = Array.from({ length: env.TRPC_MAX_BATCH + 1 }, () => "messages.send");
      const input = Object.fromEntries(
        paths.map((_, i) => [i, { json: { chatId, content: `batched ${i}` } }]),
      );
      const before = await messageCount();
      const refused = await fetch(`${base}/${paths.join(",")}?batch=1`, {
        method: "POST",
        headers: post(alice),
        body: JSON.stringify(input),
      });
      expect(refused.status).toBe(400);
      const body = (await refused.json()) as { error: { json: { message: string } } };
      expect(body.error.json.message).toMatch(/at most 10 calls/);
      expect(await messageCount()).toBe(before);
      // The largest batch allowed runs every call.
      const allowed = await fetch(`${base}/${paths.slice(1).join(",")}?batch=1`, {
        method: "POST",
        headers: post(alice),
        body: JSON.stringify(
          Object.fromEntries(
            Object.entries(input)
              .slice(1)
              .map(([, v], i) => [i, v]),
          ),
        ),
      });
      expect(allowed.status).toBe(200);
      expect(await messageCount()).toBe(before + env.TRPC_MAX_BATCH);
    });

    it("a call from another site: foreign, null or absent Origin with the cookie", async () => {
      const before = await messageCount();
      for (const headers of [
        post(alice, { origin: "https://evil.example" }),
        post(alice, { origin: "null" }),
        { ...Object.fromEntries(alice.headers), "content-type": "application/json" },
        {
          ...Object.fromEntries(alice.headers),
          "content-type": "application/json",
          "sec-fetch-site": "cross-site",
        },
      ]) {
        const refused = await sendTo(chatId, "forged", headers);
        expect(refused.status).toBe(403);
        const body = (await refused.json()) as { error: { json: { data: { code: string } } } };
        expect(body.error.json.data.code).toBe("FORBIDDEN");
      }
      expect(await messageCount()).toBe(before);
    });

    it("a call that is not JSON (a form post any page may send), with 415", async () => {
      const form = new FormData();
      form.set("chatId", chatId);
      const revoke = await fetch(`${base}/security.sessions.revokeOthers`, {
        method: "POST",
        headers: { ...Object.fromEntries(alice.headers), origin: env.appUrl },
        body: form,
      });
      expect(revoke.status).toBe(415);
      const text = await sendTo(chatId, "as text", post(alice, { "content-type": "text/plain" }));
      expect(text.status).toBe(415);
    });

    it("answers with no-store: one person's data is for no cache", async () => {
      const response = await fetch(`${base}/chats.list`, { headers: alice.headers });
      expect(response.headers.get("cache-control")).toBe("no-store");
    });
  });

  it("limits messages per user with 429 and Retry-After, leaving other users alone", async () => {
    const carol = await signUp("Carol");
    const dave = await signUp("Dave");
    const group = async (who: TestUser) => {
      const created = await fetch(`${base}/chats.createGroup`, {
        method: "POST",
        headers: post(who),
        body: JSON.stringify({ json: { name: "Busy", memberIds: [] } }),
      });
      return ((await created.json()) as { result: { data: { json: { id: string } } } }).result.data
        .json.id;
    };
    const [carolChat, daveChat] = await Promise.all([group(carol), group(dave)]);
    const send = (who: TestUser, chat: string) =>
      fetch(`${base}/messages.send`, {
        method: "POST",
        headers: post(who),
        body: JSON.stringify({ json: { chatId: chat, content: "again" } }),
      });
    const statuses: number[] = [];
    for (let i = 0; i < env.RATE_LIMIT_MESSAGES; i++)
      statuses.push((await send(carol, carolChat)).status);
    expect(statuses.every((s) => s === 200)).toBe(true);
    const limited = await send(carol, carolChat);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    const body = (await limited.json()) as {
      error: {
        json: { message: string; data: { code: string; details: { retryAfterSeconds: number } } };
      };
    };
    expect(body.error.json.data.code).toBe("TOO_MANY_REQUESTS");
    expect(body.error.json.message).toMatch(/Too many messages/);
    expect(body.error.json.data.details.retryAfterSeconds).toBeGreaterThan(0);
    // Other calls of the same user, and the same call of another user, still run.
    expect((await fetch(`${base}/chats.list`, { headers: carol.headers })).status).toBe(200);
    expect((await send(dave, daveChat)).status).toBe(200);
  });
});
