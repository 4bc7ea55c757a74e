import { maintenance } from "./server-postgres";

/**
 * postgres.js (3.4.x) fetches Postgres's array types as the first statement of every new
 * connection and does not handle that statement's failure: a connection lost in that moment
 * leaves one rejection unhandled, which Next's process handlers log. Nothing waits on it and
 * the pool replaces the connection, so it is the one unhandled rejection fault tests allow.
 */
export function isArrayTypesFetch(error: unknown): boolean {
  return (
    error instanceof Error && /typarray/.test(String((error as { query?: string }).query ?? ""))
  );
}

/**
 * Collects what reaches the process's last-resort handlers while installed, but the one
 * failure postgres.js leaves unhandled (above).
 */
export function watchUnhandled(): { seen: unknown[]; stop(): void } {
  const seen: unknown[] = [];
  const onError = (error: unknown) => {
    if (!isArrayTypesFetch(error)) seen.push(error);
  };
  process.on("uncaughtException", onError);
  process.on("unhandledRejection", onError);
  return {
    seen,
    stop: () => {
      process.off("uncaughtException", onError);
      process.off("unhandledRejection", onError);
    },
  };
}

/** Ends every session on database `name` of the server at `serverUrl`, as an operator might. */
export async function terminateBackends(serverUrl: string, name: string): Promise<void> {
  await maintenance(
    serverUrl,
    `select pg_terminate_backend(pid) from pg_stat_activity
     where datname = '${name.replace(/'/g, "''")}' and pid <> pg_backend_pid()`,
  );
}
