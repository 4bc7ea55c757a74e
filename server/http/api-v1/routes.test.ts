import { validate } from "@readme/openapi-parser";
import { and, eq, gte, sql } from "drizzle-orm";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { apiAuditLogs, chats } from "@/db/schema";
import { API_SCOPES, type ApiScope } from "@/contracts/api-keys";
import { env } from "@/server/env";
import { createAuditFlusher } from "@/server/jobs/audit-flush";
import { useTestDatabase } from "@/test/database";
import { callerFor, signUp, type TestUser } from "@/test/users";
import { buildOpenApiDocument } from "./openapi";
import {
  API_ROUTES,
  deleteMyMeta,
  getMe,
  getMyChat,
  getMyMeta,
  listChatMessages,
  listMyAuditLogs,
  listMyChats,
  listMyMetas,
  deleteMessageRoute,
  deleteReaction,
  getMessageThread,
  postChat,
  postChatMembers,
  deleteChatMember,
  postChatRead,
  postRealtimeToken,
  postChatMessage,
  putMessage,
  putReaction,
  putMyMeta,
} from "./routes";

const database = useTestDatabase();
const BASE = "http://localhost:3000";

type Route = {
  handle: (request: Request, params?: Record<string, string>) => Promise<Response>;
};

async function call(
  route: Route,
  options: {
    key?: string | null;
    path?: string;
    params?: Record<string, string>;
    method?: string;
    body?: unknown;
    headers?: Record<string, string>;
  } = {},
) {
  const headers = new Headers(options.headers);
  if (options.key) headers.set("authorization", `Bearer ${options.key}`);
  if (options.body !== undefined && !headers.has("content-type"))
    headers.set("content-type", "application/json");
  headers.set("x-forwarded-for", headers.get("x-forwarded-for") ?? "198.51.100.1");
  const request = new Request(`${BASE}${options.path ?? "/api/v1/x"}`, {
    method: options.method ?? "GET",
    headers,
    body:
      options.body === undefined
        ? undefined
        : typeof options.body === "string"
          ? options.body
          : JSON.stringify(options.body),
  });
  const response = await route.handle(request, options.params ?? {});
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    body: text ? (JSON.parse(text) as Record<string, unknown>) : null,
  };
}

describe("REST API v1", () => {
  let alice: TestUser;
  let bob: TestUser;
  let aliceKey: string;
  let narrowKey: string;
  let bobKey: string;
  let aliceChat: string;
  let bobChat: string;
  /** Alice's chat for threads, apart from the one whose messages are counted. */
  let aliceThreads: string;

  const keyFor = async (who: TestUser, scopes: ApiScope[], extra: { rateLimit?: number } = {}) =>
    (await (await callerFor(who)).apiKeys.create({ name: "test", scopes, ...extra })).secret;

  beforeAll(async () => {
    alice = await signUp("Alice");
    bob = await signUp("Bob");
    const all: ApiScope[] = [...API_SCOPES];
    aliceKey = await keyFor(alice, all);
    bobKey = await keyFor(bob, all);
    narrowKey = await keyFor(alice, ["profile:read"]);
    aliceChat = (
      await (await callerFor(alice)).chats.createGroup({ name: "Alice's", memberIds: [] })
    ).id;
    bobChat = (await (await callerFor(bob)).chats.createGroup({ name: "Bob's", memberIds: [] })).id;
    aliceThreads = (
      await (await callerFor(alice)).chats.createGroup({ name: "Alice's threads", memberIds: [] })
    ).id;
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  it("answers every route for a key with the scope, and 403 naming the scope without it", async () => {
    const aliceRoot = (
      await (await callerFor(alice)).messages.send({ chatId: aliceThreads, content: "Thread here" })
    ).id;
    const cases: [Route, Parameters<typeof call>[1]][] = [
      [getMe, {}],
      [listMyMetas, {}],
      [putMyMeta, { method: "PUT", params: { key: "theme" }, body: { value: "dark" } }],
      [getMyMeta, { params: { key: "theme" } }],
      [listMyChats, {}],
      [getMyChat, { params: { chatId: aliceChat } }],
      [listChatMessages, { params: { chatId: aliceChat } }],
      [
        postChatMessage,
        { method: "POST", params: { chatId: aliceChat }, body: { content: "from the API" } },
      ],
      [listMyAuditLogs, {}],
      [deleteMyMeta, { method: "DELETE", params: { key: "theme" } }],
      [getMessageThread, { params: { messageId: aliceRoot } }],
      [
        putMessage,
        { method: "PUT", params: { messageId: aliceRoot }, body: { content: "Edited" } },
      ],
      [putReaction, { method: "PUT", params: { messageId: aliceRoot, emoji: "👍" } }],
      [deleteReaction, { method: "DELETE", params: { messageId: aliceRoot, emoji: "👍" } }],
      [postChat, { method: "POST", body: { type: "group", name: "From the API", memberIds: [] } }],
      [
        postChatMembers,
        { method: "POST", params: { chatId: aliceThreads }, body: { userIds: [bob.id] } },
      ],
      [deleteChatMember, { method: "DELETE", params: { chatId: aliceThreads, userId: bob.id } }],
      [postChatRead, { method: "POST", params: { chatId: aliceThreads }, body: { seq: 1 } }],
      [postRealtimeToken, { method: "POST" }],
      [deleteMessageRoute, { method: "DELETE", params: { messageId: aliceRoot } }],
    ];
    for (const [route, options] of cases) {
      const ok = await call(route, { ...options, key: aliceKey });
      expect([200, 201, 204], `${(route as typeof getMe).spec.path}`).toContain(ok.status);
    }
    for (const [route, options] of cases.filter(([r]) => r !== getMe)) {
      const refused = await call(route, { ...options, key: narrowKey });
      expect(refused.status).toBe(403);
      expect((refused.body?.error as { message: string }).message).toContain(
        (route as typeof getMe).spec.scope,
      );
    }
    expect((await call(getMe, { key: aliceKey })).body).toMatchObject({
      id: alice.id,
      email: alice.email,
    });
  });

  it("refuses missing, malformed, unknown and revoked keys with 401 and WWW-Authenticate", async () => {
    for (const key of [null, "nope", `prl_AAAAAAAA_${"b".repeat(40)}`]) {
      const response = await call(getMe, { key, headers: { "x-forwarded-for": "198.51.100.50" } });
      expect(response.status).toBe(401);
      expect(response.headers.get("www-authenticate")).toMatch(/^Bearer/);
      expect(response.body).toMatchObject({ error: { code: "UNAUTHORIZED" } });
    }
    const api = await callerFor(bob);
    const { apiKey, secret } = await api.apiKeys.create({
      name: "short-lived",
      scopes: ["profile:read"],
    });
    expect((await call(getMe, { headers: { "x-api-key": secret } })).status).toBe(200);
    await api.apiKeys.revoke({ id: apiKey.id });
    expect((await call(getMe, { key: secret })).status).toBe(401);
  });

  it("returns 404 for another user's chat on every id-taking route (no BOLA)", async () => {
    expect((await call(getMyChat, { key: aliceKey, params: { chatId: bobChat } })).status).toBe(
      404,
    );
    expect(
      (await call(listChatMessages, { key: aliceKey, params: { chatId: bobChat } })).status,
    ).toBe(404);
    const post = await call(postChatMessage, {
      key: aliceKey,
      method: "POST",
      params: { chatId: bobChat },
      body: { content: "hi" },
    });
    expect(post.status).toBe(404);
    const bobsRoot = await (await callerFor(bob)).messages.send({ chatId: bobChat, content: "b" });
    expect(
      (await call(getMessageThread, { key: aliceKey, params: { messageId: bobsRoot.id } })).status,
    ).toBe(404);
    await (await callerFor(bob)).metas.set({ key: "bob-only", value: "secret" });
    expect((await call(getMyMeta, { key: aliceKey, params: { key: "bob-only" } })).status).toBe(
      404,
    );
    expect(
      (await call(deleteMyMeta, { key: aliceKey, method: "DELETE", params: { key: "bob-only" } }))
        .status,
    ).toBe(404);
    expect((await (await callerFor(bob)).metas.get({ key: "bob-only" })).value).toBe("secret");
    const carol = await signUp("Carol");
    for (const [route, options] of [
      [postChatMembers, { method: "POST", body: { userIds: [carol.id] } }],
      [deleteChatMember, { method: "DELETE", params: { chatId: bobChat, userId: bob.id } }],
      [postChatRead, { method: "POST", body: { seq: 1 } }],
    ] as const) {
      const answer = await call(route, {
        key: aliceKey,
        params: { chatId: bobChat },
        ...options,
      });
      expect(answer.status, route.spec.operationId).toBe(404);
    }
    const bobsView = await (await callerFor(bob)).chats.get({ chatId: bobChat });
    expect(bobsView.members.map((m) => m.userId)).toEqual([bob.id]);
  });

  it("replies in a thread and reads the thread back", async () => {
    const root = await call(postChatMessage, {
      key: aliceKey,
      method: "POST",
      params: { chatId: aliceThreads },
      body: { content: "Agenda?" },
    });
    const rootId = root.body?.id as string;
    const reply = await call(postChatMessage, {
      key: aliceKey,
      method: "POST",
      params: { chatId: aliceThreads },
      body: { content: "Item one", threadRootId: rootId },
    });
    expect(reply).toMatchObject({ status: 201, body: { threadRootId: rootId } });
    const thread = await call(getMessageThread, { key: aliceKey, params: { messageId: rootId } });
    expect(thread.body).toMatchObject({
      root: { id: rootId, thread: { replyCount: 1 } },
      following: true,
      messages: [{ content: "Item one" }],
    });
    const timeline = await call(listChatMessages, {
      key: aliceKey,
      params: { chatId: aliceThreads },
    });
    expect((timeline.body?.messages as { id: string }[]).map((m) => m.id)).not.toContain(
      reply.body?.id,
    );
    const nested = await call(postChatMessage, {
      key: aliceKey,
      method: "POST",
      params: { chatId: aliceThreads },
      body: { content: "x", threadRootId: reply.body?.id },
    });
    expect(nested.status).toBe(400);
  });

  it("edits, reacts to and deletes messages, and starts chats, as the key's user", async () => {
    const posted = await call(postChatMessage, {
      key: aliceKey,
      method: "POST",
      params: { chatId: aliceThreads },
      body: { content: "Draft one" },
    });
    const messageId = posted.body?.id as string;
    const edited = await call(putMessage, {
      key: aliceKey,
      method: "PUT",
      params: { messageId },
      body: { content: "Draft two" },
    });
    expect(edited).toMatchObject({ status: 200, body: { content: "Draft two", edited: true } });
    const reacted = await call(putReaction, {
      key: aliceKey,
      method: "PUT",
      params: { messageId, emoji: "🎉" },
    });
    expect(reacted.body).toMatchObject({
      reactions: [{ emoji: "🎉", count: 1, reactedByMe: true }],
    });
    expect(
      (
        await call(deleteReaction, {
          key: aliceKey,
          method: "DELETE",
          params: { messageId, emoji: "🎉" },
        })
      ).body,
    ).toMatchObject({ reactions: [] });
    // Not an emoji: an invalid path, refused before anything is written.
    expect(
      (await call(putReaction, { key: aliceKey, method: "PUT", params: { messageId, emoji: "x" } }))
        .status,
    ).toBe(422);
    // Bob edits, reacts to and deletes nothing of Alice's chat: it is not found for him.
    for (const [route, options] of [
      [putMessage, { method: "PUT", params: { messageId }, body: { content: "Mine now" } }],
      [putReaction, { method: "PUT", params: { messageId, emoji: "👍" } }],
      [deleteMessageRoute, { method: "DELETE", params: { messageId } }],
    ] as const) {
      expect((await call(route, { ...options, key: bobKey })).status).toBe(404);
    }
    const deleted = await call(deleteMessageRoute, {
      key: aliceKey,
      method: "DELETE",
      params: { messageId },
    });
    expect(deleted.body).toMatchObject({ deleted: true, content: null });

    const direct = await call(postChat, {
      key: aliceKey,
      method: "POST",
      body: { type: "direct", userId: bob.id },
    });
    expect(direct).toMatchObject({ status: 201, body: { type: "direct", title: "Bob" } });
    const again = await call(postChat, {
      key: aliceKey,
      method: "POST",
      body: { type: "direct", userId: bob.id },
    });
    expect(again.body?.id).toBe(direct.body?.id);
    const group = await call(postChat, {
      key: aliceKey,
      method: "POST",
      body: { type: "group", name: "Ops", memberIds: [bob.id] },
    });
    expect(group.body).toMatchObject({ type: "group", name: "Ops", myRole: "owner" });
    expect(
      (await call(postChat, { key: aliceKey, method: "POST", body: { type: "room", name: "x" } }))
        .status,
    ).toBe(422);
  });

  it("gives 400, 413, 415 and 422 for bad bodies, and writes nothing", async () => {
    const post = (body: unknown, headers?: Record<string, string>) =>
      call(postChatMessage, {
        key: aliceKey,
        method: "POST",
        params: { chatId: aliceChat },
        body,
        headers,
      });
    expect((await post("{not json")).status).toBe(400);
    expect((await post("x", { "content-type": "text/plain" })).status).toBe(415);
    expect((await post({ content: "x".repeat(1_100_000) })).status).toBe(413);
    const invalid = await post({ content: "" });
    expect(invalid.status).toBe(422);
    expect(invalid.body).toMatchObject({
      error: { code: "UNPROCESSABLE_CONTENT", details: { issues: [{ path: ["content"] }] } },
    });
    expect((await post({ content: "ok", extra: 1 })).status).toBe(422);
    expect(
      (await call(getMyChat, { key: aliceKey, params: { chatId: "not-a-uuid" } })).status,
    ).toBe(422);
    const before = await (await callerFor(alice)).chats.get({ chatId: aliceChat });
    expect(before.lastSeq).toBe(2); // created + the one message of the first test
  });

  it("sends once per Idempotency-Key, and answers the same key with another body with 422", async () => {
    const idempotencyKey = `retry-${crypto.randomUUID()}`;
    const send = (content: string, key = aliceKey, chatId = aliceChat) =>
      call(postChatMessage, {
        key,
        method: "POST",
        params: { chatId },
        body: { content },
        headers: { "idempotency-key": idempotencyKey },
      });
    const first = await send("exactly once");
    const again = await send("exactly once");
    expect(first.status).toBe(201);
    expect(again.body).toMatchObject({ id: first.body?.id, seq: first.body?.seq });
    const changed = await send("something else");
    expect(changed.status).toBe(422);
    // The same key from another sender is that sender's own: a new message, no conflict.
    const bobs = await send("exactly once", bobKey, bobChat);
    expect(bobs.status).toBe(201);
    expect(bobs.body?.id).not.toBe(first.body?.id);
  });

  it("creates a group once per Idempotency-Key, and answers the same key for another group with 422", async () => {
    const idempotencyKey = `group-${crypto.randomUUID()}`;
    const create = (name: string, key = aliceKey) =>
      call(postChat, {
        key,
        method: "POST",
        body: { type: "group", name, memberIds: [] },
        headers: { "idempotency-key": idempotencyKey },
      });
    const first = await create("Retried");
    const again = await create("Retried");
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.body?.id).toBe(first.body?.id);
    const created = await database.handle.db
      .select({ n: sql<number>`count(*)::int` })
      .from(chats)
      .where(eq(chats.name, "Retried"));
    expect(created[0]?.n).toBe(1);
    expect((await create("Another group")).status).toBe(422);
    // The same key from someone else is theirs: another group.
    const bobs = await create("Retried", bobKey);
    expect(bobs.status).toBe(201);
    expect(bobs.body?.id).not.toBe(first.body?.id);
    // Without a key, every creation is a new group.
    const plain = await call(postChat, {
      key: aliceKey,
      method: "POST",
      body: { type: "group", name: "Retried", memberIds: [] },
    });
    expect(plain.body?.id).not.toBe(first.body?.id);
  });

  it("never tells, through an Idempotency-Key, that someone else's message exists", async () => {
    const alicesMessage = await call(postChatMessage, {
      key: aliceKey,
      method: "POST",
      params: { chatId: aliceChat },
      body: { content: "private" },
    });
    const reused = await call(postChatMessage, {
      key: bobKey,
      method: "POST",
      params: { chatId: bobChat },
      body: { content: "mine" },
      headers: { "idempotency-key": String(alicesMessage.body?.id) },
    });
    expect(reused.status).toBe(201);
    expect(reused.body?.id).not.toBe(alicesMessage.body?.id);
  });

  it("rate limits per key with RateLimit headers, then recovers", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const key = await keyFor(bob, ["profile:read"], { rateLimit: 3 });
    for (let i = 0; i < 3; i++) {
      const ok = await call(getMe, { key });
      expect(ok.status).toBe(200);
      expect(ok.headers.get("ratelimit-remaining")).toBe(String(2 - i));
    }
    const limited = await call(getMe, { key });
    expect(limited.status).toBe(429);
    expect(limited.headers.get("ratelimit-limit")).toBe("3");
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    vi.setSystemTime(Date.now() + 61_000);
    expect((await call(getMe, { key })).status).toBe(200);
  });

  it("limits failed authentications per address and key id, never locking out a valid key", async () => {
    const ip = "203.0.113.77";
    const from = { "x-forwarded-for": ip };
    const wrongSecret = `${aliceKey.slice(0, 13)}${"x".repeat(40)}`;
    const unknownKey = `prl_ZZZZZZZZ_${"y".repeat(40)}`;
    for (let i = 0; i < 20; i++) {
      expect((await call(getMe, { key: "bad", headers: from })).status).toBe(401);
      expect((await call(getMe, { key: wrongSecret, headers: from })).status).toBe(401);
    }
    for (const key of ["bad", null, wrongSecret]) {
      const blocked = await call(getMe, { key, headers: from });
      expect(blocked.status).toBe(429);
      expect(blocked.headers.get("retry-after")).not.toBeNull();
    }
    // Another key id from the same address, and a valid key, are untouched.
    expect((await call(getMe, { key: unknownKey, headers: from })).status).toBe(401);
    expect((await call(getMe, { key: bobKey, headers: from })).status).toBe(200);
    // The guessed-at key still works from elsewhere.
    expect(
      (await call(getMe, { key: aliceKey, headers: { "x-forwarded-for": "203.0.113.78" } })).status,
    ).toBe(200);
  });

  it("writes exactly one audit row per request, failures included", async () => {
    await createAuditFlusher(database.handle.db).flush();
    const before = await database.handle.db
      .select({ n: sql<number>`count(*)::int` })
      .from(apiAuditLogs)
      .where(eq(apiAuditLogs.method, "GET"));
    const statuses = [];
    for (let i = 0; i < 5; i++)
      statuses.push(
        (await call(listChatMessages, { key: bobKey, params: { chatId: bobChat } })).status,
      );
    statuses.push(
      (await call(listChatMessages, { key: null, params: { chatId: bobChat } })).status,
    );
    statuses.push(
      (await call(listChatMessages, { key: bobKey, params: { chatId: aliceChat } })).status,
    );
    expect(statuses).toEqual([200, 200, 200, 200, 200, 401, 404]);
    await createAuditFlusher(database.handle.db).stop();
    const after = await database.handle.db
      .select({ n: sql<number>`count(*)::int` })
      .from(apiAuditLogs)
      .where(eq(apiAuditLogs.method, "GET"));
    expect((after[0]?.n ?? 0) - (before[0]?.n ?? 0)).toBe(7);
    const rows = await database.handle.db
      .select()
      .from(apiAuditLogs)
      .where(eq(apiAuditLogs.endpoint, "/api/v1/chats/{chatId}/messages"));
    expect(rows.filter((r) => r.statusCode === 404 && r.userId === bob.id)).toHaveLength(1);
    expect(rows.find((r) => r.statusCode === 401)).toMatchObject({
      userId: null,
      apiKeyId: null,
      ipAddress: "198.51.100.1",
    });
    const own = await call(listMyAuditLogs, { key: bobKey, path: "/api/v1/audit-logs?status=4xx" });
    const items = own.body?.items as { statusCode: number; userId: string }[];
    expect(
      items.every((r) => r.statusCode >= 400 && r.statusCode < 500 && r.userId === bob.id),
    ).toBe(true);
  });

  it("counts requests without a valid key exactly, in a row per endpoint, status and address", async () => {
    await createAuditFlusher(database.handle.db).flush();
    const since = new Date();
    const flood = { "x-forwarded-for": "198.51.100.77" };
    const other = { "x-forwarded-for": "198.51.100.78" };
    const statuses: number[] = [];
    for (let i = 0; i < 300; i++) {
      statuses.push((await call(getMe, { key: null, headers: i % 3 ? flood : other })).status);
    }
    // Past the failed-authentication limit, 429s: counted the same way.
    expect(new Set(statuses)).toEqual(new Set([401, 429]));
    // Keyed requests keep a row each.
    for (let i = 0; i < 3; i++) expect((await call(getMe, { key: bobKey })).status).toBe(200);
    await createAuditFlusher(database.handle.db).stop();

    const rows = await database.handle.db
      .select()
      .from(apiAuditLogs)
      .where(and(eq(apiAuditLogs.endpoint, "/api/v1/me"), gte(apiAuditLogs.createdAt, since)));
    const keyless = rows.filter((r) => r.userId === null);
    const limit = env.API_AUTH_FAILURE_LIMIT;
    expect(keyless.map((r) => [r.ipAddress, r.statusCode, r.requestCount]).sort()).toEqual([
      ["198.51.100.77", 401, limit],
      ["198.51.100.77", 429, 200 - limit],
      ["198.51.100.78", 401, limit],
      ["198.51.100.78", 429, 100 - limit],
    ]);
    const keyed = rows.filter((r) => r.userId === bob.id);
    expect(keyed.length).toBeGreaterThanOrEqual(3);
    expect(keyed.every((r) => r.requestCount === 1)).toBe(true);
    expect(keyless.reduce((n, r) => n + r.requestCount, 0)).toBe(300);
  });

  it("publishes a valid OpenAPI 3.1 document listing every route", async () => {
    const document = buildOpenApiDocument(BASE);
    const result = await validate(structuredClone(document) as never);
    expect(result.valid, result.valid ? "" : JSON.stringify(result.errors)).toBe(true);
    for (const { spec } of API_ROUTES) {
      expect(
        document.paths?.[spec.path]?.[spec.method.toLowerCase() as "get"],
        spec.path,
      ).toBeDefined();
    }
  });
});
