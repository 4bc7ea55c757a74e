import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import superjson from "superjson";
import { afterAll, beforeAll, expect, it } from "vitest";
import { openPostgres, setDatabase, type DatabaseHandle } from "@/db/client";
import { migrateDatabase } from "@/db/migrate";
import { queryRows } from "@/db/rows";
import { env } from "@/server/env";
import { createAuditFlusher, type AuditFlusher } from "@/server/jobs/audit-flush";
import { startHttpTestServer, type HttpTestServer } from "@/test/http-server";
import { terminateBackends, watchUnhandled } from "@/test/postgres-faults";
import {
  startPrivatePostgres,
  withoutPostgresPrograms,
  type PrivatePostgres,
} from "@/test/private-postgres";
import { describeWhere } from "@/test/requirements";
import { databaseUrl, maintenance } from "@/test/server-postgres";
import { callerFor, signUp, type TestUser } from "@/test/users";

/** A request that has not settled by then hangs: a failure, whatever it would have answered. */
const HANG_MS = 10_000;
/** Senders in the storm, each a person of their own (every person has a message budget). */
const SENDERS = 10;
/** A pause between one sender's messages, which keeps each within its budget. */
const PAUSE_MS = 250;

type Answer = number | "network" | "hang";

/** What a client does with a send: tries until it is answered for good, with the same key. */
interface SendLog {
  /** Every answer, in order, for every try. */
  answers: Answer[];
  /** Message ids the server acknowledged, by key. */
  acknowledged: Map<string, string>;
  /** Answered REST requests (any status): each must have its audit row. */
  restAnswered: number;
}

const RETRYABLE = new Set<Answer>([429, 503, "network"]);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function answer(response: Promise<Response>): Promise<{ status: Answer; body: unknown }> {
  try {
    const r = await response;
    const text = await r.text();
    return { status: r.status, body: text ? (JSON.parse(text) as unknown) : null };
  } catch (error) {
    const timedOut = error instanceof DOMException && error.name === "TimeoutError";
    return { status: timedOut ? "hang" : "network", body: null };
  }
}

/**
 * Parley with a PostgreSQL of its own, under a storm of sends (tRPC and REST v1, each client
 * retrying with its idempotency key as real ones do) while the database's sessions are
 * terminated and the server is restarted. Whatever was acknowledged is stored exactly once,
 * nothing hangs, no exception escapes, the app recovers without a restart, and every answered
 * REST request has its audit row.
 */
describeWhere(withoutPostgresPrograms(), "a send storm through database faults", () => {
  let postgres: PrivatePostgres;
  let database: DatabaseHandle;
  let server: HttpTestServer;
  let flusher: AuditFlusher;
  let senders: TestUser[];
  let chatId: string;
  let apiKey: string;
  const unhandled = watchUnhandled();

  beforeAll(async () => {
    postgres = await startPrivatePostgres();
    await maintenance(postgres.url, "create database parley");
    database = openPostgres(databaseUrl(postgres.url, "parley"), { max: 10 });
    await migrateDatabase(database);
    setDatabase(database);
    senders = await Promise.all(
      Array.from({ length: SENDERS }, (_, i) => signUp(`Sender${i + 1}`)),
    );
    const owner = await callerFor(senders[0]!);
    chatId = (
      await owner.chats.createGroup({
        name: "Storm",
        memberIds: senders.slice(1).map((s) => s.id),
      })
    ).id;
    apiKey = (await owner.apiKeys.create({ name: "storm bot", scopes: ["messages:write"] })).secret;
    server = await startHttpTestServer();
    flusher = createAuditFlusher(database.db, { intervalMs: 100 });
    flusher.start();
  });

  afterAll(async () => {
    unhandled.stop();
    await flusher?.stop(1_000);
    await server?.close();
    await database?.close();
    await postgres?.stop();
  });

  function sendOverTrpc(who: TestUser, clientKey: string) {
    return answer(
      fetch(`${server.url}/api/trpc/messages.send`, {
        method: "POST",
        headers: {
          ...Object.fromEntries(who.headers),
          origin: env.appUrl,
          "content-type": "application/json",
        },
        body: JSON.stringify({ json: { chatId, clientKey, content: `storm ${clientKey}` } }),
        signal: AbortSignal.timeout(HANG_MS),
      }),
    ).then(({ status, body }) => ({
      status,
      id:
        status === 200
          ? superjson.deserialize<{ id: string }>((body as { result: { data: never } }).result.data)
              .id
          : null,
    }));
  }

  function sendOverRest(idempotencyKey: string) {
    return answer(
      fetch(`${server.url}/api/v1/chats/${chatId}/messages`, {
        method: "POST",
        headers: {
          authorization: `Bearer ${apiKey}`,
          "content-type": "application/json",
          "idempotency-key": idempotencyKey,
        },
        body: JSON.stringify({ content: `storm ${idempotencyKey}` }),
        signal: AbortSignal.timeout(HANG_MS),
      }),
    ).then(({ status, body }) => ({
      status,
      id: status === 201 ? (body as { id: string }).id : null,
    }));
  }

  /** One client: sends until told to stop, each message retried until answered for good. */
  async function client(
    log: SendLog,
    stopping: () => boolean,
    send: (key: string) => Promise<{ status: Answer; id: string | null }>,
    rest: boolean,
  ) {
    while (!stopping()) {
      const key = randomUUID();
      for (;;) {
        const { status, id } = await send(key);
        log.answers.push(status);
        if (rest && typeof status === "number") log.restAnswered++;
        if (id) {
          log.acknowledged.set(key, id);
          break;
        }
        if (!RETRYABLE.has(status)) break;
        await sleep(100);
      }
      await sleep(PAUSE_MS);
    }
  }

  it("stores every acknowledged message once, hangs nowhere, recovers, and audits every answer", async () => {
    const log: SendLog = { answers: [], acknowledged: new Map(), restAnswered: 0 };
    const startedAt = new Date();
    let stop = false;
    const storm = Promise.all([
      ...senders.map((who) =>
        client(
          log,
          () => stop,
          (key) => sendOverTrpc(who, key),
          false,
        ),
      ),
      ...[0, 1].map(() => client(log, () => stop, sendOverRest, true)),
    ]);

    // The faults, one after another while the storm goes on.
    await sleep(1_500);
    await terminateBackends(postgres.url, "parley");
    await sleep(2_000);
    await postgres.restart();
    await sleep(2_000);
    await terminateBackends(postgres.url, "parley");
    await sleep(2_000);
    stop = true;
    await storm;

    // Nothing hung; the faults were felt (some tries failed) and every send got through.
    expect(log.answers.filter((a) => a === "hang")).toEqual([]);
    expect(log.answers.filter((a) => a !== 200 && a !== 201).length).toBeGreaterThan(0);
    const refused = log.answers.filter(
      (a) => typeof a === "number" && a >= 400 && !RETRYABLE.has(a),
    );
    expect(refused).toEqual([]);
    expect(log.answers.filter((a) => typeof a === "number" && a >= 500 && a !== 503)).toEqual([]);

    // Stored exactly once each, and nothing else: sequence numbers without a gap.
    const stored = await queryRows<{ id: string; seq: number; type: string }>(
      database.db,
      sql`select id::text, seq::int, type from public.messages
          where "chatId" = ${chatId}::uuid order by seq`,
    );
    const sent = stored.filter((m) => m.type !== "system");
    expect(sent.map((m) => m.id).sort()).toEqual([...log.acknowledged.values()].sort());
    expect(new Set(sent.map((m) => m.id)).size).toBe(sent.length);
    expect(stored.map((m) => m.seq)).toEqual(stored.map((_, i) => i + 1));

    // Recovered without a restart: every slot of the pool serves again.
    const after = await Promise.all(
      Array.from({ length: 30 }, (_, i) => sendOverTrpc(senders[i % SENDERS]!, randomUUID())),
    );
    expect(after.map((a) => a.status)).toEqual(after.map(() => 200));

    // Every answered REST request has its audit row (requests without a valid key — the
    // database was away when the key was checked — counted in aggregate rows).
    const { unwritten } = await flusher.stop(10_000);
    expect(unwritten).toBe(0);
    const [audited] = await queryRows<{ n: number }>(
      database.db,
      sql`select coalesce(sum("requestCount"), 0)::int as n from public.api_audit_logs
          where endpoint = '/api/v1/chats/{chatId}/messages' and method = 'POST'
            and "createdAt" >= ${startedAt.toISOString()}::timestamptz`,
    );
    expect(log.restAnswered).toBeGreaterThan(0);
    expect(audited?.n).toBe(log.restAnswered);

    expect(unhandled.seen).toEqual([]);
  });
});
