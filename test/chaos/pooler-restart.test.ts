import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, expect, inject, it } from "vitest";
import { openPostgres, setDatabase, type DatabaseHandle } from "@/db/client";
import { queryRows } from "@/db/rows";
import { env } from "@/server/env";
import { createTestDatabase } from "@/test/database";
import { pgbouncerBinary, startPgbouncer, type RunningPgbouncer } from "@/test/pgbouncer";
import { watchUnhandled } from "@/test/postgres-faults";
import { describeWhere, withoutPgbouncer } from "@/test/requirements";
import { databaseUrl } from "@/test/server-postgres";
import { callerFor, signUp, type TestUser } from "@/test/users";
import { startHttpTestServer, type HttpTestServer } from "@/test/http-server";

/** A request that has not settled by then hangs: a failure, whatever it would have answered. */
const HANG_MS = 10_000;

/**
 * The pooler goes away (a PgBouncer restart, a Supavisor deploy) while Parley serves through
 * it: requests answer 503 at once rather than hang or 500, nothing half-written stays, and
 * the same pool serves again as soon as the pooler is back, without a restart of Parley.
 */
describeWhere(withoutPgbouncer(), "a transaction-mode pooler restarting under Parley", () => {
  let direct: DatabaseHandle;
  let pooled: DatabaseHandle;
  let pooler: RunningPgbouncer;
  let port: number;
  let server: HttpTestServer;
  let alice: TestUser;
  let chatId: string;
  const unhandled = watchUnhandled();

  beforeAll(async () => {
    // A database of this file's own behind a PgBouncer of its own, which the test stops.
    direct = await createTestDatabase("postgres", { pooled: false });
    const serverUrl = inject("testServerUrl")!;
    pooler = await startPgbouncer(pgbouncerBinary()!, serverUrl);
    port = Number(new URL(pooler.url).port);
    const name = new URL(direct.url!).pathname.slice(1);
    pooled = openPostgres(databaseUrl(pooler.url, name), {
      max: 4,
      pooler: true,
      directUrl: direct.url!,
      connectTimeoutSeconds: 2,
    });
    setDatabase(pooled);
    alice = await signUp("Alice");
    const bob = await signUp("Bob");
    chatId = (
      await (await callerFor(alice)).chats.createGroup({ name: "Pooled", memberIds: [bob.id] })
    ).id;
    server = await startHttpTestServer();
  });

  afterAll(async () => {
    unhandled.stop();
    await server?.close();
    await pooled?.close();
    await pooler?.stop();
    await direct?.close();
  });

  const health = () =>
    fetch(`${server.url}/api/health`, { signal: AbortSignal.timeout(HANG_MS) }).then(
      (r) => r.status,
    );
  const send = (content: string) =>
    fetch(`${server.url}/api/trpc/messages.send`, {
      method: "POST",
      headers: {
        ...Object.fromEntries(alice.headers),
        origin: env.appUrl,
        "content-type": "application/json",
      },
      body: JSON.stringify({ json: { chatId, clientKey: randomUUID(), content } }),
      signal: AbortSignal.timeout(HANG_MS),
    }).then((r) => r.status);
  const stored = async () =>
    (
      await queryRows<{ content: string }>(
        direct.db,
        sql`select content from public.messages
            where "chatId" = ${chatId} and type = 'text' order by seq`,
      )
    ).map((m) => m.content);

  it("answers 503 while the pooler is down and serves again once it is back", async () => {
    expect(await health()).toBe(200);
    expect(await send("before")).toBe(200);

    await pooler.stop();
    expect(await health()).toBe(503);
    expect(await send("while down")).toBe(503);

    pooler = await startPgbouncer(pgbouncerBinary()!, inject("testServerUrl")!, { port });
    await expect.poll(health, { timeout: HANG_MS }).toBe(200);
    expect(await send("after")).toBe(200);

    expect(await stored()).toEqual(["before", "after"]);
    expect(unhandled.seen).toEqual([]);
  });
});
