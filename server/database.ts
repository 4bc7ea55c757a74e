import "server-only";

import path from "node:path";
import { openPglite, openPostgres, setDatabase, type DatabaseHandle } from "@/db/client";
import { env } from "./env";

/**
 * Opens the database the environment describes — server Postgres when `DATABASE_URL` is set,
 * else PGlite in `$DATA_DIR/pglite` — and installs it as the process's handle. Migrations and
 * LISTEN take `DIRECT_DATABASE_URL` when DATABASE_URL is a pooler's.
 */
export function openConfiguredDatabase(): DatabaseHandle {
  const handle = env.DATABASE_URL
    ? openPostgres(env.DATABASE_URL, {
        pooler: env.DATABASE_POOLER,
        ...(env.DIRECT_DATABASE_URL ? { directUrl: env.DIRECT_DATABASE_URL } : {}),
        max: env.DATABASE_POOL_SIZE,
        idleTimeoutSeconds: env.DATABASE_IDLE_TIMEOUT,
        connectTimeoutSeconds: env.DATABASE_CONNECT_TIMEOUT,
        statementTimeoutMs: env.DATABASE_STATEMENT_TIMEOUT,
      })
    : openPglite(path.join(env.dataDir, "pglite"));
  return setDatabase(handle);
}
