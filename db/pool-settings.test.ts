import { createServer, type Server, type Socket } from "node:net";
import type { AddressInfo } from "node:net";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import { toAppError } from "@/server/errors";
import { createTestDatabase } from "@/test/database";
import { describeWhere, withoutServerPostgres } from "@/test/requirements";
import { openPostgres, type DatabaseHandle } from "./client";
import { queryRows } from "./rows";

describeWhere(withoutServerPostgres(), "the server pool's settings", () => {
  let database: DatabaseHandle;
  const opened: DatabaseHandle[] = [];
  const open = (url: string, options: Parameters<typeof openPostgres>[1]) => {
    const handle = openPostgres(url, options);
    opened.push(handle);
    return handle;
  };

  beforeAll(async () => {
    database = await createTestDatabase("postgres");
  });

  afterAll(async () => {
    for (const handle of opened) await handle.close();
    await database.close();
  });

  it("cancels a statement past the statement timeout, and the request is told to retry (503)", async () => {
    // A startup parameter, which a transaction-mode pooler refuses: set only on a direct URL.
    const pool = open(database.directUrl!, { max: 2, statementTimeoutMs: 200 });
    const [setting] = await queryRows<{ statement_timeout: string }>(
      pool.db,
      sql`show statement_timeout`,
    );
    expect(setting?.statement_timeout).toBe("200ms");
    const slow = await pool.db.execute(sql`select pg_sleep(2)`).catch((error: unknown) => error);
    expect(toAppError(slow)).toMatchObject({ code: "SERVICE_UNAVAILABLE" });
    // The connection is still good for the next statement.
    expect(await queryRows<{ one: number }>(pool.db, sql`select 1 as one`)).toEqual([{ one: 1 }]);
  });

  it("sets no statement timeout unless asked", async () => {
    const pool = open(database.url!, { max: 1 });
    const [setting] = await queryRows<{ statement_timeout: string }>(
      pool.db,
      sql`show statement_timeout`,
    );
    expect(setting?.statement_timeout).toBe("0");
  });

  it("gives up on a connection that does not open within the connect timeout, as unavailable", async () => {
    // Accepts connections and never answers: a database that is down behind a load balancer.
    const sockets: Socket[] = [];
    const silent: Server = createServer((socket) => void sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const { port } = silent.address() as AddressInfo;
    try {
      const pool = open(`postgres://postgres@127.0.0.1:${port}/parley`, {
        max: 1,
        connectTimeoutSeconds: 1,
      });
      const failed = await pool.db.execute(sql`select 1`).catch((error: unknown) => error);
      expect(toAppError(failed)).toMatchObject({ code: "SERVICE_UNAVAILABLE" });
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });
});
