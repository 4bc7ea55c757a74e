import { describe, inject } from "vitest";

/** Why a test that needs a server Postgres cannot run here, or null when it can. */
export function withoutServerPostgres(): string | null {
  return inject("testTemplate")
    ? null
    : "needs a server PostgreSQL (TEST_DATABASE_URL, or one on 127.0.0.1:5432)";
}

/** Why a test that needs Redis cannot run here, or null when it can. */
export function withoutRedis(): string | null {
  return inject("testRedisUrl") ? null : "needs Redis (TEST_REDIS_URL, or one on 127.0.0.1:6379)";
}

/** The marker the summary reporter looks for in a skipped suite's name. */
export const SKIPPED_BECAUSE = " — skipped: ";

/**
 * A describe block that runs where `missing` is null and is otherwise skipped with the reason
 * in its name, which the run's summary lists.
 */
export function describeWhere(missing: string | null, name: string, fn: () => void): void {
  if (missing) describe.skip(`${name}${SKIPPED_BECAUSE}${missing}`, fn);
  else describe(name, fn);
}

/** Why a test that needs PgBouncer in front of the server cannot run here, or null. */
export function withoutPgbouncer(): string | null {
  return (
    withoutServerPostgres() ??
    (inject("testPoolerUrl") ? null : "needs PgBouncer (apt install pgbouncer)")
  );
}
