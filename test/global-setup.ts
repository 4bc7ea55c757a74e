import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";
import type { TestProject } from "vitest/node";
import { openPostgres } from "@/db/client";
import { migrateDatabase } from "@/db/migrate";
import { env } from "@/server/env";
import { pgbouncerBinary, startPgbouncer, type RunningPgbouncer } from "./pgbouncer";
import { answers, databaseUrl, maintenance } from "./server-postgres";

declare module "vitest" {
  export interface ProvidedContext {
    /** The server Postgres that test databases are created on, or null where there is none. */
    testServerUrl: string | null;
    /** A migrated template database on that server, or null. */
    testTemplate: string | null;
    /** The driver files run on unless they ask: server Postgres only with TEST_DATABASE_URL. */
    testDefaultDriver: "pglite" | "postgres";
    /**
     * A PgBouncer in transaction mode in front of that server, or null where there is none.
     * With TEST_DATABASE_POOLER, every server test database is reached through it.
     */
    testPoolerUrl: string | null;
    /** The Redis the shared rate-limit store is tested against, or null. */
    testRedisUrl: string | null;
  }
}

/** Where a machine like CI's runs its services; probed when nothing is configured. */
const LOCAL_POSTGRES = "postgres://postgres@127.0.0.1:5432/postgres";
const LOCAL_REDIS = "redis://127.0.0.1:6379";

async function redisAnswers(url: string): Promise<boolean> {
  const redis = new Redis(url, {
    lazyConnect: true,
    connectTimeout: 1_000,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  redis.on("error", () => {});
  try {
    await redis.connect();
    return (await redis.ping()) === "PONG";
  } catch {
    return false;
  } finally {
    redis.disconnect();
  }
}

/**
 * Finds the services the tests can use: a server Postgres (TEST_DATABASE_URL, else one
 * answering on 127.0.0.1:5432) and Redis (TEST_REDIS_URL, else 127.0.0.1:6379), and says which
 * at the start of the run, so tests that need one are never skipped unnoticed. With a server
 * Postgres, one template database is migrated per run; every test file then gets
 * `CREATE DATABASE … TEMPLATE` (a file copy, far faster than migrating again). Files run on
 * it by default only when TEST_DATABASE_URL asks for it; otherwise on PGlite, with the
 * server-Postgres tests on the server found.
 */
export default async function setup(project: TestProject) {
  const configured = env.TEST_DATABASE_URL;
  const serverUrl = configured ?? ((await answers(LOCAL_POSTGRES)) ? LOCAL_POSTGRES : null);
  const redisUrl = env.TEST_REDIS_URL ?? ((await redisAnswers(LOCAL_REDIS)) ? LOCAL_REDIS : null);
  const say = (line: string) => process.stdout.write(`${line}\n`);
  say(
    configured
      ? `server Postgres: TEST_DATABASE_URL; files run on it unless they ask for PGlite`
      : serverUrl
        ? `server Postgres: found at 127.0.0.1:5432 (TEST_DATABASE_URL unset); files run on PGlite, server-Postgres tests there`
        : `server Postgres: none (set TEST_DATABASE_URL); the tests that need it are skipped and listed at the end`,
  );
  say(
    redisUrl
      ? `Redis: ${env.TEST_REDIS_URL ? "TEST_REDIS_URL" : "found at 127.0.0.1:6379"}`
      : `Redis: none (set TEST_REDIS_URL); the tests that need it are skipped and listed at the end`,
  );
  project.provide("testServerUrl", serverUrl);
  project.provide("testDefaultDriver", configured ? "postgres" : "pglite");
  project.provide("testRedisUrl", redisUrl);
  const binary = pgbouncerBinary();
  if (env.TEST_DATABASE_POOLER && (!serverUrl || !binary)) {
    throw new Error(
      "TEST_DATABASE_POOLER needs a server Postgres and PgBouncer (apt install pgbouncer)",
    );
  }
  if (!serverUrl) {
    project.provide("testTemplate", null);
    project.provide("testPoolerUrl", null);
    return;
  }
  let pooler: RunningPgbouncer | null = null;
  if (binary) pooler = await startPgbouncer(binary, serverUrl);
  say(
    pooler
      ? `PgBouncer (transaction mode): ${env.TEST_DATABASE_POOLER ? "every server test database is reached through it (TEST_DATABASE_POOLER)" : "started for the pooler tests"}`
      : `PgBouncer: none (apt install pgbouncer); the pooler tests are skipped and listed at the end`,
  );
  project.provide("testPoolerUrl", pooler?.url ?? null);
  const template = `parley_tpl_${randomBytes(6).toString("hex")}`;
  await maintenance(serverUrl, `create database ${template}`);
  const handle = openPostgres(databaseUrl(serverUrl, template), { max: 1 });
  try {
    await migrateDatabase(handle);
  } finally {
    await handle.close();
  }
  project.provide("testTemplate", template);
  return async () => {
    await pooler?.stop();
    await maintenance(serverUrl, `drop database if exists ${template} with (force)`);
  };
}
