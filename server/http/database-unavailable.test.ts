import superjson from "superjson";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openPostgres, setDatabase, type DatabaseHandle } from "@/db/client";
import { useTestDatabase } from "@/test/database";
import { startHttpTestServer, type HttpTestServer } from "@/test/http-server";
import { callerFor, signUp, type TestUser } from "@/test/users";

const database = useTestDatabase();

/**
 * While Parley cannot reach its database (here: a server that refuses connections), every
 * endpoint that needs it answers 503 with `Retry-After`, in its own error shape, and answers
 * normally again as soon as the database is back, without a restart.
 */
describe("requests while the database is unreachable", () => {
  let server: HttpTestServer;
  let alice: TestUser;
  let key: string;
  let unreachable: DatabaseHandle;

  beforeAll(async () => {
    alice = await signUp("Alice");
    key = (await (await callerFor(alice)).apiKeys.create({ name: "bot", scopes: ["profile:read"] }))
      .secret;
    server = await startHttpTestServer();
    // Nothing listens on port 1: every connection attempt is refused at once.
    unreachable = openPostgres("postgres://parley@127.0.0.1:1/parley", { max: 2 });
  });
  afterAll(async () => {
    setDatabase(database.handle);
    await unreachable.close();
    await server.close();
  });

  const meGet = () => fetch(`${server.url}/api/trpc/me.get`, { headers: alice.headers });
  const profile = () =>
    fetch(`${server.url}/api/v1/me`, { headers: { authorization: `Bearer ${key}` } });

  it("answers 503 with Retry-After, then serves again once the database is back", async () => {
    expect((await meGet()).status).toBe(200);
    expect((await profile()).status).toBe(200);

    setDatabase(unreachable);
    const trpc = await meGet();
    expect(trpc.status).toBe(503);
    expect(Number(trpc.headers.get("retry-after"))).toBeGreaterThan(0);
    const trpcBody = (await trpc.json()) as { error: { json: { data: { code: string } } } };
    expect(superjson.deserialize(trpcBody.error as never)).toMatchObject({
      data: { code: "SERVICE_UNAVAILABLE" },
    });

    const rest = await profile();
    expect(rest.status).toBe(503);
    expect(Number(rest.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await rest.json()).toMatchObject({ error: { code: "SERVICE_UNAVAILABLE" } });

    setDatabase(database.handle);
    expect((await meGet()).status).toBe(200);
    expect((await profile()).status).toBe(200);
  });

  it("tells a load balancer through /api/health whether this instance can serve", async () => {
    const health = () => fetch(`${server.url}/api/health`);
    const ready = await health();
    expect(ready.status).toBe(200);
    expect(ready.headers.get("cache-control")).toBe("no-store");
    expect(await ready.json()).toEqual({ status: "ok", database: "ok" });
    expect((await fetch(`${server.url}/api/health`, { method: "HEAD" })).status).toBe(200);

    setDatabase(unreachable);
    const down = await health();
    expect(down.status).toBe(503);
    expect(await down.json()).toEqual({ status: "unavailable", database: "unreachable" });

    setDatabase(database.handle);
    expect((await health()).status).toBe(200);
  });
});
