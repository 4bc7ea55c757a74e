import { randomBytes } from "node:crypto";
import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { useTestDatabase } from "@/test/database";
import { outcome } from "@/test/errors";
import { actorOf, signUp, type TestUser } from "@/test/users";
import { withRls } from "./rls";
import { queryRows } from "./rows";
import type { Tx } from "./types";

const database = useTestDatabase();
const db = () => database.handle.db;

/**
 * What a statement comes to, inside a savepoint: a refused statement leaves the transaction
 * usable (and committable), as a real request's would not be.
 */
const tried = (tx: Tx, run: (tx: Tx) => Promise<unknown>) => outcome(tx.transaction(run));

const secret = () => `whsec_${randomBytes(32).toString("base64")}`;

/** Inserts an endpoint as `who`, naming only the columns a request may write. */
function insertEndpoint(
  tx: Tx,
  values: {
    userId?: string | null;
    organizationId?: string | null;
    url?: string;
    description?: string;
    secret?: string;
    eventTypes?: string;
  },
) {
  return queryRows<{ id: string }>(
    tx,
    sql`insert into public.webhook_endpoints
          ("userId", "organizationId", url, description, secret, "eventTypes")
        values (${values.userId ?? null}::uuid, ${values.organizationId ?? null}::uuid,
          ${values.url ?? "https://hooks.example.com/parley"}, ${values.description ?? ""},
          ${values.secret ?? secret()}, ${values.eventTypes ?? "{message.created}"}::text[])
        returning id`,
  );
}

describe("webhook endpoints and deliveries under RLS", () => {
  let alice: TestUser;
  let bob: TestUser;
  let aliceEndpoint: string;

  beforeAll(async () => {
    alice = await signUp("Alice Hooks");
    bob = await signUp("Bob Hooks");
    const [row] = await withRls(actorOf(alice), (tx) => insertEndpoint(tx, { userId: alice.id }));
    aliceEndpoint = row!.id;
    await db().execute(sql`insert into public.webhook_deliveries
      ("endpointId", "userId", "eventId", "eventType")
      values (${aliceEndpoint}::uuid, ${alice.id}::uuid, gen_random_uuid(), 'webhook.test')`);
  });

  it("shows an endpoint and its deliveries to its owner only, and never the secret", async () => {
    const seen = (who: TestUser) =>
      withRls(actorOf(who), (tx) =>
        queryRows<{ id: string }>(
          tx,
          sql`select id from public.webhook_endpoints where id = ${aliceEndpoint}::uuid`,
        ),
      );
    const logged = (who: TestUser) =>
      withRls(actorOf(who), (tx) =>
        queryRows<{ id: number }>(
          tx,
          sql`select id from public.webhook_deliveries where "endpointId" = ${aliceEndpoint}::uuid`,
        ),
      );
    expect(await seen(alice)).toHaveLength(1);
    expect(await seen(bob)).toHaveLength(0);
    expect(await logged(alice)).toHaveLength(1);
    expect(await logged(bob)).toHaveLength(0);
    expect(
      await withRls(null, (tx) =>
        tried(tx, (tx) => tx.execute(sql`select id from public.webhook_endpoints`)),
      ),
    ).toBe("42501");
    // Not even its owner reads the secret back.
    expect(
      await withRls(actorOf(alice), (tx) =>
        tried(tx, (tx) => tx.execute(sql`select secret from public.webhook_endpoints`)),
      ),
    ).toBe("42501");
  });

  it("lets nobody else change, remove, test or redeliver it", async () => {
    const asBob = <T>(fn: (tx: Tx) => Promise<T>) => withRls(actorOf(bob), fn);
    const changed = await asBob((tx) =>
      queryRows(
        tx,
        sql`update public.webhook_endpoints set url = 'https://evil.example.com/'
            where id = ${aliceEndpoint}::uuid returning id`,
      ),
    );
    expect(changed).toEqual([]);
    const removed = await asBob((tx) =>
      queryRows(
        tx,
        sql`delete from public.webhook_endpoints where id = ${aliceEndpoint}::uuid returning id`,
      ),
    );
    expect(removed).toEqual([]);
    expect(
      await asBob((tx) =>
        tried(tx, (tx) =>
          tx.execute(sql`select public.queue_webhook_test(${aliceEndpoint}::uuid)`),
        ),
      ),
    ).toBe("P0002");
    const [delivery] = await queryRows<{ id: number }>(
      db(),
      sql`select id::int as id from public.webhook_deliveries where "endpointId" = ${aliceEndpoint}::uuid`,
    );
    await db()
      .execute(sql`update public.webhook_deliveries set status = 'failed', "settledAt" = now()
      where id = ${delivery!.id}`);
    expect(
      await asBob((tx) =>
        tried(tx, (tx) =>
          tx.execute(sql`select public.redeliver_webhook(${delivery!.id}::bigint)`),
        ),
      ),
    ).toBe("P0002");
    // Nobody writes the log directly, the owner included.
    expect(
      await withRls(actorOf(alice), (tx) =>
        tried(tx, (tx) =>
          tx.execute(sql`update public.webhook_deliveries set status = 'succeeded'`),
        ),
      ),
    ).toBe("42501");
    expect(
      await withRls(actorOf(alice), (tx) =>
        tried(tx, (tx) =>
          tx.execute(sql`insert into public.webhook_deliveries ("endpointId", "userId", "eventId", "eventType")
            values (${aliceEndpoint}::uuid, ${alice.id}::uuid, gen_random_uuid(), 'webhook.test')`),
        ),
      ),
    ).toBe("42501");
    // Adding one in someone else's name is refused by the policy.
    expect(await asBob((tx) => tried(tx, (tx) => insertEndpoint(tx, { userId: alice.id })))).toBe(
      "42501",
    );
  });

  it("lets a workspace's owners and admins manage its endpoints, and no plain member", async () => {
    const workspace = alice.organizationId;
    expect(
      await withRls(actorOf(bob), (tx) =>
        tried(tx, (tx) => insertEndpoint(tx, { organizationId: workspace })),
      ),
    ).toBe("42501");
    await db().execute(sql`update public.member set role = 'admin'
      where "userId" = ${bob.id}::uuid and "organizationId" = ${workspace}::uuid`);
    const [made] = await withRls(actorOf(bob), (tx) =>
      insertEndpoint(tx, { organizationId: workspace }),
    );
    expect(made).toBeDefined();
    // Another admin of the workspace sees it; a member who is not an admin does not.
    const visible = (who: TestUser) =>
      withRls(actorOf(who), (tx) =>
        queryRows(tx, sql`select id from public.webhook_endpoints where id = ${made!.id}::uuid`),
      );
    expect(await visible(bob)).toHaveLength(1);
    expect(await visible(alice)).toHaveLength(0);
    // Who made it is stamped by the guard, and the owner never changes (no grant).
    await withRls(actorOf(bob), (tx) =>
      tx.execute(
        sql`update public.webhook_endpoints set description = 'moved' where id = ${made!.id}::uuid`,
      ),
    );
    const [row] = await queryRows<{
      organizationId: string;
      userId: string | null;
      createdBy: string;
    }>(
      db(),
      sql`select "organizationId", "userId", "createdBy" from public.webhook_endpoints where id = ${made!.id}::uuid`,
    );
    expect(row).toEqual({ organizationId: workspace, userId: null, createdBy: bob.id });
    expect(
      await withRls(actorOf(bob), (tx) =>
        tried(tx, (tx) =>
          tx.execute(
            sql`update public.webhook_endpoints set "userId" = ${bob.id}::uuid where id = ${made!.id}::uuid`,
          ),
        ),
      ),
    ).toBe("42501");
  });

  it("refuses bad values in the database itself", async () => {
    const asAlice = (values: Parameters<typeof insertEndpoint>[1]) =>
      withRls(actorOf(alice), (tx) =>
        tried(tx, (tx) => insertEndpoint(tx, { userId: alice.id, ...values })),
      );
    expect(await asAlice({ url: "http://hooks.example.com/" })).toBe("23514");
    expect(await asAlice({ url: "ftp://hooks.example.com/" })).toBe("23514");
    expect(await asAlice({ url: "https://user@hooks.example.com/" })).toBe("23514");
    expect(await asAlice({ url: `https://hooks.example.com/${"a".repeat(2048)}` })).toBe("23514");
    expect(await asAlice({ url: "http://127.0.0.1:8080/hook" })).toBe("ok");
    expect(await asAlice({ description: "d".repeat(201) })).toBe("23514");
    expect(await asAlice({ eventTypes: "{}" })).toBe("23514");
    expect(await asAlice({ eventTypes: "{message.created,chat.exploded}" })).toBe("23514");
    expect(await asAlice({ secret: "whsec_short" })).toBe("23514");
    expect(await asAlice({ secret: "not-a-secret-at-all-but-quite-long-enough-to-pass" })).toBe(
      "23514",
    );
    expect(await asAlice({ userId: alice.id, organizationId: alice.organizationId })).toBe("23514");
    // A request cannot set the health columns: no grant.
    expect(
      await withRls(actorOf(alice), (tx) =>
        tried(tx, (tx) =>
          tx.execute(sql`update public.webhook_endpoints set "consecutiveFailures" = 0, "disabledReason" = null
            where id = ${aliceEndpoint}::uuid`),
        ),
      ),
    ).toBe("42501");
    // Turning it back on clears what turned it off.
    await db().execute(sql`update public.webhook_endpoints
      set enabled = false, "disabledReason" = 'failing', "consecutiveFailures" = 5
      where id = ${aliceEndpoint}::uuid`);
    await withRls(actorOf(alice), (tx) =>
      tx.execute(
        sql`update public.webhook_endpoints set enabled = true where id = ${aliceEndpoint}::uuid`,
      ),
    );
    const [health] = await queryRows<{
      enabled: boolean;
      disabledReason: string | null;
      consecutiveFailures: number;
    }>(
      db(),
      sql`select enabled, "disabledReason", "consecutiveFailures" from public.webhook_endpoints
          where id = ${aliceEndpoint}::uuid`,
    );
    expect(health).toEqual({ enabled: true, disabledReason: null, consecutiveFailures: 0 });
    // The queue's own values.
    for (const bad of [
      sql`status = 'lost'`,
      sql`attempts = -1`,
      sql`"responseStatus" = 42`,
      sql`status = 'pending'`,
    ]) {
      expect(
        await outcome(
          db().execute(sql`update public.webhook_deliveries set ${bad}
          where "endpointId" = ${aliceEndpoint}::uuid`),
        ),
      ).toBe("23514");
    }
  });

  it("holds each owner to ten endpoints", async () => {
    const carol = await signUp("Carol Hooks");
    const add = () =>
      withRls(actorOf(carol), (tx) => tried(tx, (tx) => insertEndpoint(tx, { userId: carol.id })));
    for (let i = 0; i < 10; i++) expect(await add()).toBe("ok");
    expect(await add()).toBe("54000");
  });
});
