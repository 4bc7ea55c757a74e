import net from "node:net";
import postgres, { type Sql, type TransactionSql } from "postgres";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createTestDatabase } from "@/test/database";
import { describeWhere, withoutServerPostgres } from "@/test/requirements";
import type { DatabaseHandle } from "./client";
import {
  pipelineTransactions,
  startWithSetup,
  type TransactionSetup,
} from "./pipelined-transaction";
import { preparingStatements } from "./prepared-statements";

const USER_ID = "00000000-0000-4000-8000-000000000001";
const asUser: TransactionSetup = {
  text: "select set_config('app.user_id', $1, true), set_config('role', 'authenticated', true)",
  params: [USER_ID],
};
const WHO = "select current_user as role, current_setting('app.user_id', true) as user_id";

describeWhere(withoutServerPostgres(), "pipelined transactions", () => {
  let database: DatabaseHandle;
  let client: Sql;
  let sql: Sql;
  /** Writes postgres.js made to its one socket. */
  let writes = 0;

  beforeAll(async () => {
    database = await createTestDatabase("postgres");
    const url = new URL(database.url!);
    const options = {
      max: 1,
      onnotice: () => {},
      // The one connection's socket, its writes counted: each is one trip to the server.
      // (postgres.js takes a `socket` factory; its type declarations leave it out.)
      socket: () =>
        new Promise<net.Socket>((resolve, reject) => {
          const socket = net.connect(Number(url.port || 5432), url.hostname);
          const write = socket.write.bind(socket) as (...args: unknown[]) => boolean;
          socket.write = (...args: unknown[]) => {
            writes++;
            return write(...args);
          };
          socket.once("connect", () => resolve(socket));
          socket.once("error", reject);
        }),
    };
    client = postgres(database.url!, options);
    const texts = new Set<string>();
    const prepare = (inner: Sql) => preparingStatements(inner, texts);
    sql = pipelineTransactions(prepare(client), prepare);
  });

  afterAll(async () => {
    await client?.end({ timeout: 5 });
    await database?.close();
  });

  const asUserTransaction = <T>(work: (tx: TransactionSql) => Promise<T>) =>
    startWithSetup(asUser, () => sql.begin(work) as Promise<T>);

  it("sends BEGIN, the setup and the first statement in one write, and COMMIT in the next", async () => {
    // Once, so the setup is a prepared statement on the connection as it is in production.
    await asUserTransaction((tx) => tx.unsafe(WHO));
    writes = 0;
    const [row] = await asUserTransaction((tx) => tx.unsafe(WHO));
    expect(row).toEqual({ role: "authenticated", user_id: USER_ID });
    expect(writes).toBe(2);
  });

  it("runs every statement of the work inside the transaction, after the setup", async () => {
    const rows = await asUserTransaction((tx) =>
      Promise.all(
        Array.from({ length: 5 }, () =>
          tx.unsafe(`${WHO}, pg_current_xact_id_if_assigned() is null as read_only, now() as at`),
        ),
      ),
    );
    for (const [row] of rows)
      expect(row).toMatchObject({ role: "authenticated", user_id: USER_ID });
    // One transaction: one now() for all of them.
    expect(new Set(rows.map(([row]) => String(row?.at))).size).toBe(1);
    // Role and user id were local to it.
    const [after] = await sql.unsafe(WHO);
    expect(after).toEqual({ role: "postgres", user_id: "" });
  });

  it("runs nothing of the work as the owner when the setup fails", async () => {
    const failing: TransactionSetup = {
      text: "select set_config('role', $1, true)",
      params: ["no_such_role"],
    };
    let workError: unknown;
    const outcome = await startWithSetup(failing, () =>
      sql.begin(async (tx) => {
        try {
          return await tx.unsafe(WHO);
        } catch (error) {
          workError = error;
          throw error;
        }
      }),
    ).catch((error: unknown) => error);
    expect(outcome).toMatchObject({ code: "22023" }); // invalid_parameter_value: no such role
    expect(workError).toMatchObject({ code: "25P02" }); // in_failed_sql_transaction
    // Rolled back: the connection is clean for the next request.
    const [after] = await sql.unsafe(WHO);
    expect(after).toEqual({ role: "postgres", user_id: "" });
  });

  it("rolls back everything when the work fails, and COMMITs nothing", async () => {
    await sql.unsafe("create table if not exists pipelined_probe (n int)");
    const outcome = await asUserTransaction(async (tx) => {
      await tx.unsafe("reset role"); // the owner again, only to write the probe table
      await tx.unsafe("insert into pipelined_probe values (1)");
      throw new Error("the work failed");
    }).catch((error: unknown) => error);
    expect(outcome).toMatchObject({ message: "the work failed" });
    expect(await sql.unsafe("select count(*)::int as n from pipelined_probe")).toEqual([{ n: 0 }]);
  });

  it("hands the setup only to a begin called while starting, never to a later one", async () => {
    let applied: boolean | undefined;
    // A start that reaches `begin` only after a promise hop does not get the setup…
    const late = await startWithSetup(asUser, async (slot) => {
      await Promise.resolve();
      return sql.begin(async (tx) => {
        applied = slot.applied;
        return tx.unsafe(WHO);
      });
    });
    expect(applied).toBe(false);
    expect(late[0]).toEqual({ role: "postgres", user_id: "" });
    // …and neither does the next transaction, which was never handed one.
    const [next] = await sql.begin((tx) => tx.unsafe(WHO));
    expect(next).toEqual({ role: "postgres", user_id: "" });
  });

  it("keeps savepoints: a failed nested part rolls back alone", async () => {
    await sql.unsafe("truncate pipelined_probe");
    await asUserTransaction(async (tx) => {
      await tx.unsafe("reset role");
      await tx.unsafe("insert into pipelined_probe values (1)");
      await tx
        .savepoint(async (inner) => {
          await inner.unsafe("insert into pipelined_probe values (2)");
          throw new Error("undo the nested part");
        })
        .catch(() => undefined);
    });
    expect(await sql.unsafe("select n from pipelined_probe order by n")).toEqual([{ n: 1 }]);
  });
});
