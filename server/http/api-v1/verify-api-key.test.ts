import { eq, sql } from "drizzle-orm";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import type { DatabaseHandle } from "@/db/client";
import { withRls } from "@/db/rls";
import { queryRows } from "@/db/rows";
import { apiKeys, user } from "@/db/schema";
import { takeAudit } from "@/server/audit/buffer";
import { closeKeylessWindow } from "@/server/audit/keyless";
import type { ApiScope } from "@/contracts/api-keys";
import { useTestDatabase } from "@/test/database";
import { callerFor, signUp, type TestUser } from "@/test/users";
import { getMe, listChatMessages } from "@/server/http/api-v1/routes";
import { authenticateApiKey, presentApiKey } from "@/server/services/verify-api-key";

const database = useTestDatabase();

type Method = (...args: unknown[]) => unknown;

/**
 * Records the statements of every transaction the driver runs, and those run outside one.
 * The wrappers call straight through to the real PGlite instance or postgres.js client.
 */
function recordTransactions(handle: DatabaseHandle) {
  const transactions: string[][] = [];
  const outside: string[] = [];
  const recording = (run: Method, into: string[]): Method =>
    function (this: unknown, ...args) {
      into.push(String(args[0]));
      return run.apply(this, args);
    };
  // Each driver hands the transaction's callback a client of its own: PGlite's `transaction`
  // one with `query`, postgres.js's `begin` one with `unsafe` (the methods Drizzle calls).
  const [client, begin, method] = handle.pglite
    ? ([handle.pglite, "transaction", "query"] as const)
    : ([(handle.db as unknown as { $client: object }).$client, "begin", "unsafe"] as const);
  const target = client as Record<string, Method>;
  const originalBegin = target[begin]!;
  vi.spyOn(target, begin).mockImplementation(function (this: unknown, ...args: unknown[]) {
    const callback = args.pop() as (tx: Record<string, Method>) => unknown;
    const statements: string[] = [];
    transactions.push(statements);
    return originalBegin.call(this, ...args, (tx: Record<string, Method>) => {
      tx[method] = recording(tx[method]!, statements);
      return callback(tx);
    });
  });
  const originalQuery = target[method]!;
  vi.spyOn(target, method).mockImplementation(recording(originalQuery, outside));
  return {
    transactions,
    // postgres.js opens a transaction by sending `begin` through the client itself.
    get outside() {
      return outside.filter((text) => !/^begin\b/i.test(text));
    },
  };
}

type Route = {
  handle: (request: Request, params?: Record<string, string>) => Promise<Response>;
};

async function call(route: Route, key: string, params: Record<string, string> = {}) {
  const request = new Request("http://localhost:3000/api/v1/x", {
    headers: { authorization: `Bearer ${key}`, "x-forwarded-for": "198.51.100.9" },
  });
  return route.handle(request, params);
}

/** What a transaction runs as after `authenticateApiKey`, whether it accepted the key or not. */
async function runsAs(token: string): Promise<{ role: string; userId: string; code?: string }> {
  return withRls(null, async (tx) => {
    let code: string | undefined;
    try {
      await authenticateApiKey(tx, presentApiKey(token));
    } catch (error) {
      code = (error as { code?: string }).code;
    }
    const [row] = await queryRows<{ role: string; userId: string }>(
      tx,
      sql`select current_user as role, current_setting('app.user_id', true) as "userId"`,
    );
    return { role: row?.role ?? "", userId: row?.userId ?? "", code };
  });
}

describe("API key verification inside the request's transaction", () => {
  let owner: TestUser;
  let chatId: string;
  const keyFor = async (scopes: ApiScope[]) =>
    (await callerFor(owner)).apiKeys.create({ name: "test", scopes });

  beforeAll(async () => {
    owner = await signUp("Olive");
    chatId = (await (await callerFor(owner)).chats.createGroup({ name: "Ops", memberIds: [] })).id;
  });

  afterEach(() => {
    vi.restoreAllMocks();
  });

  it("runs a REST v1 request in one transaction, the key looked up in it", async () => {
    const { secret } = await keyFor(["messages:read"]);
    expect((await call(listChatMessages, secret, { chatId })).status).toBe(200); // stamps lastUsed

    const recorded = recordTransactions(database.handle);
    const response = await call(listChatMessages, secret, { chatId });
    expect(response.status).toBe(200);
    expect(recorded.outside).toEqual([]);
    expect(recorded.transactions).toHaveLength(1);
    // The transaction starts as anon: on PGlite by its first statement, on server Postgres by
    // the setup that travels with BEGIN (db/pipelined-transaction.ts), not a statement of the
    // work. Then the key is looked up, once, before anything else.
    const statements = (recorded.transactions[0] ?? []).filter(
      (s) =>
        !/^select set_config\('app\.user_id', '', true\), set_config\('role', 'anon', true\)$/.test(
          s,
        ),
    );
    expect(statements[0]).toMatch(/find_api_key/);
    expect(statements.filter((s) => /find_api_key/.test(s))).toHaveLength(1);
  });

  it("refuses a revoked key in that one transaction, and audits it against the key", async () => {
    const { apiKey, secret } = await keyFor(["profile:read"]);
    await (await callerFor(owner)).apiKeys.revoke({ id: apiKey.id });
    takeAudit(Number.MAX_SAFE_INTEGER);
    const recorded = recordTransactions(database.handle);
    const response = await call(getMe, secret);
    expect(response.status).toBe(401);
    expect(response.headers.get("www-authenticate")).toMatch(/^Bearer/);
    expect(recorded.transactions).toHaveLength(1);
    expect(recorded.outside).toEqual([]);
    // Without a valid key: counted in the window's aggregate row for that key id.
    closeKeylessWindow();
    expect(takeAudit(Number.MAX_SAFE_INTEGER)).toEqual([
      expect.objectContaining({
        apiKeyId: apiKey.id,
        userId: null,
        statusCode: 401,
        requestCount: 1,
      }),
    ]);
  });

  it("turns the transaction into the owner's only for a usable key", async () => {
    const { apiKey, secret } = await keyFor(["profile:read"]);
    expect(await runsAs(secret)).toEqual({ role: "authenticated", userId: owner.id });

    const anon = { role: "anon", userId: "" };
    const forged = `${secret.slice(0, -1)}${secret.endsWith("a") ? "b" : "a"}`;
    expect(await runsAs(forged)).toEqual({ ...anon, code: "UNAUTHORIZED" });
    expect(await runsAs(`prl_ZZZZZZZZ_${"c".repeat(40)}`)).toEqual({
      ...anon,
      code: "UNAUTHORIZED",
    });

    await database.handle.db
      .update(apiKeys)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(apiKeys.id, apiKey.id));
    expect(await runsAs(secret)).toEqual({ ...anon, code: "UNAUTHORIZED" });
    await database.handle.db
      .update(apiKeys)
      .set({ expiresAt: null })
      .where(eq(apiKeys.id, apiKey.id));

    await database.handle.db.update(user).set({ banned: true }).where(eq(user.id, owner.id));
    expect(await runsAs(secret)).toEqual({ ...anon, code: "FORBIDDEN" });
    await database.handle.db.update(user).set({ banned: false }).where(eq(user.id, owner.id));

    await (await callerFor(owner)).apiKeys.revoke({ id: apiKey.id });
    expect(await runsAs(secret)).toEqual({ ...anon, code: "UNAUTHORIZED" });
  });
});
