import { drizzle } from "drizzle-orm/postgres-js";
import postgres, { type Sql } from "postgres";
import { afterEach, describe, expect, it } from "vitest";
import { pipelineTransactions, startWithSetup } from "./pipelined-transaction";
import { preparingStatements } from "./prepared-statements";

/**
 * What `db/pipelined-transaction.ts` and `db/prepared-statements.ts` rely on in drizzle-orm and
 * postgres.js beyond their documented APIs. Both packages are pinned to exact versions; these
 * tests run on every `npm test`, with no server (the client below never connects), and fail
 * on an upgrade that changes what the patches stand on. The server-Postgres tests beside them
 * check the patches' effect on a real connection.
 */
const clients: Sql[] = [];
function client(): Sql {
  // Nothing listens on port 1; no statement below is ever awaited against it.
  const sql = postgres("postgres://parley@127.0.0.1:1/none", { max: 1, onnotice: () => {} });
  clients.push(sql);
  return sql;
}

afterEach(async () => {
  await Promise.all(clients.splice(0).map((sql) => sql.end({ timeout: 0 })));
});

type Begin = (...args: unknown[]) => Promise<unknown>;

describe("drizzle-orm's postgres-js driver", () => {
  it("calls the client's begin before transaction() returns, with the callback alone", async () => {
    const sql = client();
    const calls: unknown[][] = [];
    (sql as unknown as { begin: Begin }).begin = (...args) => {
      calls.push(args);
      return Promise.resolve("done");
    };
    const pending = drizzle(sql).transaction(() => Promise.resolve("work"));
    expect(calls).toHaveLength(1);
    expect(calls[0]).toHaveLength(1);
    expect(typeof calls[0]![0]).toBe("function");
    await expect(pending).resolves.toBe("done");
  });

  it("lets startWithSetup hand its setup to that begin, and leaves other transactions alone", async () => {
    const sql = client();
    const own: unknown[][] = [];
    (sql as unknown as { begin: Begin }).begin = (...args) => {
      own.push(args);
      return Promise.resolve("own begin");
    };
    let reserved = 0;
    (sql as unknown as { reserve: () => Promise<never> }).reserve = () => {
      reserved++;
      return Promise.reject(new Error("no server here"));
    };
    const db = drizzle(pipelineTransactions(sql, (inner) => inner));
    const setup = { text: "select set_config('app.user_id', $1, true)", params: ["u"] };
    const pipelined = startWithSetup(setup, () => db.transaction(() => Promise.resolve("work")));
    // The pipelined path reserved a connection instead of calling postgres.js's begin.
    expect(reserved).toBe(1);
    await expect(pipelined).rejects.toThrow("no server here");
    await expect(db.transaction(() => Promise.resolve("work"))).resolves.toBe("own begin");
    expect(own).toHaveLength(1);
  });
});

describe("postgres.js", () => {
  it("takes prepare per call in unsafe's options, and lets a client's methods be replaced", () => {
    const sql = client();
    const methods = sql as unknown as Record<"unsafe", unknown>;
    const original = methods.unsafe;
    const prepared = preparingStatements(sql);
    expect(prepared).toBe(sql);
    expect(methods.unsafe).not.toBe(original);
    const withParams = sql.unsafe("select $1::int", [1]) as unknown as {
      options: { prepare: boolean };
    };
    const withoutParams = sql.unsafe("select 1") as unknown as { options: { prepare: boolean } };
    expect(withParams.options.prepare).toBe(true);
    expect(withoutParams.options.prepare).toBe(false);
    // The transaction client is wrapped too: `begin` is a plain, replaceable method.
    expect(typeof (sql as unknown as { begin: unknown }).begin).toBe("function");
    expect(typeof (sql as unknown as Record<"reserve", unknown>).reserve).toBe("function");
  });
});
