import "server-only";

import { sql } from "drizzle-orm";
import { withRls } from "@/db/rls";
import type { WebHandler } from "./router";

/** How long the check waits for the database before it says this instance is not ready. */
const DATABASE_CHECK_MS = 2_000;

const answer = (status: number, body: Record<string, string>) =>
  Response.json(body, { status, headers: { "cache-control": "no-store" } });

/**
 * For load balancers and orchestrators: 200 while this instance can serve (its database
 * answers a query, as the least-privileged role every request starts from), 503 while it
 * cannot. It reads nothing and says nothing about the data.
 */
export const health: WebHandler = async () => {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<"timeout">((resolve) => {
    timer = setTimeout(() => resolve("timeout"), DATABASE_CHECK_MS);
  });
  const checked = withRls(null, async (tx) => {
    await tx.execute(sql`select 1`);
    return "ok" as const;
  }).catch(() => "failed" as const);
  const database = await Promise.race([checked, timedOut]);
  clearTimeout(timer);
  return database === "ok"
    ? answer(200, { status: "ok", database: "ok" })
    : answer(503, {
        status: "unavailable",
        database: database === "timeout" ? "slow" : "unreachable",
      });
};
