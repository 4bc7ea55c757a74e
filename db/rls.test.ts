import { eq, inArray, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { availableDrivers, useTestDatabase } from "@/test/database";
import { outcome } from "@/test/errors";
import { shareWorkspace } from "@/test/workspace";
import { withRls } from "./rls";
import { queryRows } from "./rows";
import { account, apiAuditLogs, apiKeys, session, user, userMetas, verification } from "./schema";
import type { Tx } from "./types";

/**
 * The RLS matrix for the foundation tables: every table × select/insert/update/delete ×
 * owner / other user / site admin / anonymous, run as the request roles through `withRls`,
 * on PGlite and (when TEST_DATABASE_URL is set) on server Postgres.
 */

type Who = "owner" | "other" | "admin" | "anon";

/** The SQLSTATE of a failed call, or "ok" when it succeeded. */

const DENIED = "42501"; // insufficient_privilege: no grant, or a row refused by WITH CHECK

const sorted = (values: string[]) => [...values].sort();

describe.each(availableDrivers())("RLS on %s", (driver) => {
  const database = useTestDatabase(driver);
  const ids = { owner: "", other: "", admin: "", banned: "" };
  const metas: Record<string, string> = {};
  const keys: Record<string, string> = {};
  const audits: Record<string, string> = {};

  let team = "";
  const as = <T>(who: Who, fn: (tx: Tx) => Promise<T>) =>
    withRls(who === "anon" ? null : { userId: ids[who], organizationId: team }, fn);

  beforeAll(async () => {
    const db = database.handle.db;
    const people = await db
      .insert(user)
      .values([
        { name: "Owner", email: "owner@example.test" },
        { name: "Other", email: "other@example.test" },
        { name: "Admin", email: "admin@example.test", role: "admin" },
        { name: "Banned", email: "banned@example.test", banned: true, banReason: "spam" },
      ])
      .returning({ id: user.id, name: user.name });
    for (const p of people) ids[p.name.toLowerCase() as keyof typeof ids] = p.id;
    // Everyone here shares one workspace, the one each request runs in.
    team = await shareWorkspace(Object.values(ids));

    for (const who of ["owner", "other", "admin"] as const) {
      const rows = await db
        .insert(userMetas)
        .values([
          { userId: ids[who], metaKey: "private", metaValue: `${who}-private`, dataType: "text" },
          {
            userId: ids[who],
            metaKey: "public",
            metaValue: `${who}-public`,
            dataType: "text",
            isPublic: true,
          },
        ])
        .returning({ id: userMetas.id, key: userMetas.metaKey });
      for (const r of rows) metas[`${who}.${r.key}`] = r.id;

      const [key] = await db
        .insert(apiKeys)
        .values({
          userId: ids[who],
          organizationId: team,
          name: `${who} key`,
          key: `hash-${who}`,
          prefix: `pfx${who}`,
          scopes: ["profile:read"],
        })
        .returning({ id: apiKeys.id });
      keys[who] = key!.id;

      const [audit] = await db
        .insert(apiAuditLogs)
        .values({
          userId: ids[who],
          apiKeyId: keys[who],
          endpoint: "/api/v1/me",
          method: "GET",
          statusCode: 200,
        })
        .returning({ id: apiAuditLogs.id });
      audits[who] = audit!.id;

      await db.insert(session).values({
        userId: ids[who],
        token: `token-${who}`,
        expiresAt: new Date(Date.now() + 3_600_000),
      });
      await db.insert(account).values({
        userId: ids[who],
        accountId: ids[who],
        providerId: "credential",
        password: "hash",
      });
    }
    await db.insert(verification).values({
      identifier: "reset:owner",
      value: "secret",
      expiresAt: new Date(Date.now() + 3_600_000),
    });
  });

  describe("withRls", () => {
    it("runs as the request role with the user id, and leaves the connection as it was", async () => {
      const seen = await as("owner", (tx) =>
        queryRows(tx, sql`select current_user as role, public.get_auth_user_id()::text as me`),
      );
      expect(seen).toEqual([{ role: "authenticated", me: ids.owner }]);

      const afterRows = await queryRows<{ role: string; me: string }>(
        database.handle.db,
        sql`select current_user as role, coalesce(current_setting('app.user_id', true), '') as me`,
      );
      expect(afterRows[0]?.role).not.toBe("authenticated");
      expect(afterRows[0]?.me).toBe("");
    });

    it("refuses a user id that is not a UUID before touching the database", async () => {
      await expect(withRls("1 or 1=1", () => Promise.resolve(1))).rejects.toThrow(/UUID/);
    });

    it("rolls back everything when the callback throws", async () => {
      await expect(
        as("owner", async (tx) => {
          await tx.insert(userMetas).values({
            userId: ids.owner,
            metaKey: "doomed",
            metaValue: "x",
            dataType: "text",
          });
          throw new Error("boom");
        }),
      ).rejects.toThrow("boom");
      const left = await database.handle.db
        .select()
        .from(userMetas)
        .where(eq(userMetas.metaKey, "doomed"));
      expect(left).toEqual([]);
    });

    it("reads the caller's id inline: a policy's get_auth_user_id() plans as the expression itself", async () => {
      // A SECURITY DEFINER function, or one with its own search_path, is never inlined: each
      // use would set up and plan a SQL function of its own in every statement.
      const plan = await queryRows<{ "QUERY PLAN": string }>(
        database.handle.db,
        sql`explain (verbose, costs off) select public.get_auth_user_id()`,
      );
      const text = plan.map((row) => row["QUERY PLAN"]).join("\n");
      expect(text).toContain("current_setting");
      expect(text).not.toContain("get_auth_user_id");
    });

    it("reads the caller's id the same under any search_path", async () => {
      // The inlined body is resolved in the caller's search_path: its names are all qualified,
      // so a schema placed ahead of pg_catalog cannot stand in for them.
      const db = database.handle.db;
      await db.execute(sql`create schema decoy`);
      try {
        await db.execute(sql`
          create function decoy.current_setting(text, boolean) returns text
          language sql as ${sql.raw(`$$ select '${ids.other}' $$`)}`);
        await db.execute(sql`grant usage on schema decoy to authenticated`);
        const seen = await as("owner", async (tx) => {
          await tx.execute(sql`set local search_path = decoy, pg_catalog, public`);
          return queryRows<{ me: string; decoy: string }>(
            tx,
            sql`select public.get_auth_user_id()::text as me, current_setting('x', true) as decoy`,
          );
        });
        expect(seen).toEqual([{ me: ids.owner, decoy: ids.other }]);
      } finally {
        await db.execute(sql`drop schema decoy cascade`);
      }
    });

    it("tells a request from the owner inline, under any search_path", async () => {
      // is_request_role() runs in the triggers of every send; inlined, it is planned once
      // with its caller rather than again in every statement.
      const db = database.handle.db;
      const plan = await queryRows<{ "QUERY PLAN": string }>(
        db,
        sql`explain (verbose, costs off) select public.is_request_role()`,
      );
      const text = plan.map((row) => row["QUERY PLAN"]).join("\n");
      expect(text).toContain("CURRENT_USER");
      expect(text).not.toContain("is_request_role");
      // Decoy `=` operators that match everything, ahead of pg_catalog, for every pair of
      // types a role name could be compared as: the qualified operator in the body is not
      // redirected to them, so the owner is still not a request.
      await db.execute(sql`create schema decoy`);
      try {
        for (const [left, right] of [
          ["name", "name"],
          ["name", "text"],
          ["text", "text"],
        ] as const) {
          const always = sql.raw(`decoy.always_${left}_${right}`);
          await db.execute(sql`
            create function ${always}(${sql.raw(left)}, ${sql.raw(right)}) returns boolean
            language sql as $$ select true $$`);
          await db.execute(sql`
            create operator decoy.= (
              leftarg = ${sql.raw(left)}, rightarg = ${sql.raw(right)}, function = ${always})`);
        }
        await db.execute(sql`grant usage on schema decoy to authenticated`);
        const check = async (tx: Tx) => {
          await tx.execute(sql`set local search_path = decoy, pg_catalog, public`);
          const [row] = await queryRows<{ request: boolean; decoy: boolean }>(
            tx,
            sql`select public.is_request_role() as request, current_user = 'nobody' as decoy`,
          );
          return row;
        };
        // The database owner (jobs, migrations), then a signed-in user's request.
        expect(await db.transaction(check)).toEqual({ request: false, decoy: true });
        expect(await as("owner", check)).toEqual({ request: true, decoy: true });
      } finally {
        await db.execute(sql`drop schema decoy cascade`);
      }
    });
  });

  describe("user_metas", () => {
    const visible = (who: Who) =>
      as(who, async (tx) =>
        sorted((await tx.select({ id: userMetas.id }).from(userMetas)).map((r) => r.id)),
      );

    it("select: own and public rows; admins all; anon nothing", async () => {
      expect(await visible("owner")).toEqual(
        sorted([
          metas["owner.private"]!,
          metas["owner.public"]!,
          metas["other.public"]!,
          metas["admin.public"]!,
        ]),
      );
      expect(await visible("other")).toEqual(
        sorted([
          metas["other.private"]!,
          metas["other.public"]!,
          metas["owner.public"]!,
          metas["admin.public"]!,
        ]),
      );
      expect(await visible("admin")).toEqual(sorted(Object.values(metas)));
      expect(await outcome(visible("anon"))).toBe(DENIED);
    });

    it("insert: only as yourself", async () => {
      const row = (userId: string, metaKey: string) => ({
        userId,
        metaKey,
        metaValue: "v",
        dataType: "text" as const,
        // Flags: any value, on one's own rows only.
        isPublic: false,
        isSearchable: true,
      });
      expect(
        await outcome(as("owner", (tx) => tx.insert(userMetas).values(row(ids.owner, "new")))),
      ).toBe("ok");
      expect(
        await outcome(as("owner", (tx) => tx.insert(userMetas).values(row(ids.other, "forged")))),
      ).toBe(DENIED);
      expect(
        await outcome(as("admin", (tx) => tx.insert(userMetas).values(row(ids.other, "forged")))),
      ).toBe(DENIED);
      expect(
        await outcome(as("anon", (tx) => tx.insert(userMetas).values(row(ids.owner, "anon")))),
      ).toBe(DENIED);
      const forged = await database.handle.db
        .select()
        .from(userMetas)
        .where(inArray(userMetas.metaKey, ["forged", "anon"]));
      expect(forged).toEqual([]);
    });

    it("update: own rows only, and never the owner, key or timestamps", async () => {
      const update = (who: Who, id: string) =>
        as(
          who,
          async (tx) =>
            (
              await tx
                .update(userMetas)
                .set({ metaValue: `${who}-was-here` })
                .where(eq(userMetas.id, id))
                .returning({ id: userMetas.id })
            ).length,
        );
      expect(await update("owner", metas["owner.private"]!)).toBe(1);
      expect(await update("owner", metas["other.private"]!)).toBe(0);
      expect(await update("owner", metas["other.public"]!)).toBe(0);
      expect(await update("admin", metas["other.private"]!)).toBe(0);
      expect(await outcome(update("anon", metas["owner.private"]!))).toBe(DENIED);

      const mine = eq(userMetas.id, metas["owner.public"]!);
      expect(
        await outcome(
          as("owner", (tx) => tx.update(userMetas).set({ userId: ids.other }).where(mine)),
        ),
      ).toBe(DENIED);
      expect(
        await outcome(
          as("owner", (tx) => tx.update(userMetas).set({ metaKey: "renamed" }).where(mine)),
        ),
      ).toBe(DENIED);
      expect(
        await outcome(
          as("owner", (tx) =>
            tx
              .update(userMetas)
              .set({ createdAt: new Date(0) })
              .where(mine),
          ),
        ),
      ).toBe(DENIED);

      const [other] = await database.handle.db
        .select()
        .from(userMetas)
        .where(eq(userMetas.id, metas["other.private"]!));
      expect(other?.metaValue).toBe("other-private");
    });

    it("insert cannot backdate a row", async () => {
      await as("owner", (tx) =>
        tx.insert(userMetas).values({
          userId: ids.owner,
          metaKey: "dated",
          metaValue: 1,
          dataType: "number",
          createdAt: new Date(0),
        }),
      );
      const [row] = await database.handle.db
        .select()
        .from(userMetas)
        .where(eq(userMetas.metaKey, "dated"));
      expect(row!.createdAt.getTime()).toBeGreaterThan(Date.now() - 60_000);
    });

    it("delete: own rows only", async () => {
      const remove = (who: Who, id: string) =>
        as(
          who,
          async (tx) =>
            (await tx.delete(userMetas).where(eq(userMetas.id, id)).returning({ id: userMetas.id }))
              .length,
        );
      expect(await remove("owner", metas["other.public"]!)).toBe(0);
      expect(await remove("admin", metas["other.private"]!)).toBe(0);
      expect(await outcome(remove("anon", metas["other.private"]!))).toBe(DENIED);
      expect(await remove("other", metas["other.public"]!)).toBe(1);
      delete metas["other.public"];
    });
  });

  describe("api_keys", () => {
    const visible = (who: Who) =>
      as(who, async (tx) =>
        sorted((await tx.select({ id: apiKeys.id }).from(apiKeys)).map((r) => r.id)),
      );

    it("select: own keys; admins all; anon nothing; the hash never", async () => {
      expect(await visible("owner")).toEqual([keys.owner]);
      expect(await visible("other")).toEqual([keys.other]);
      expect(await visible("admin")).toEqual(sorted(Object.values(keys)));
      expect(await outcome(visible("anon"))).toBe(DENIED);
      for (const who of ["owner", "admin"] as const) {
        expect(await outcome(as(who, (tx) => tx.select({ key: apiKeys.key }).from(apiKeys)))).toBe(
          DENIED,
        );
      }
    });

    it("insert: only for yourself", async () => {
      const row = (userId: string, tag: string) => ({
        userId,
        name: tag,
        key: `hash-${tag}`,
        prefix: tag,
        scopes: ["profile:read"],
      });
      expect(
        await outcome(as("owner", (tx) => tx.insert(apiKeys).values(row(ids.owner, "mine")))),
      ).toBe("ok");
      expect(
        await outcome(as("owner", (tx) => tx.insert(apiKeys).values(row(ids.other, "forged1")))),
      ).toBe(DENIED);
      expect(
        await outcome(as("admin", (tx) => tx.insert(apiKeys).values(row(ids.other, "forged2")))),
      ).toBe(DENIED);
      expect(
        await outcome(as("anon", (tx) => tx.insert(apiKeys).values(row(ids.owner, "forged3")))),
      ).toBe(DENIED);
    });

    it("update: own keys' name, revocation and expiry only; admins revoke any", async () => {
      const revoke = (who: Who, id: string) =>
        as(
          who,
          async (tx) =>
            (
              await tx
                .update(apiKeys)
                .set({ revoked: true, revokedAt: new Date() })
                .where(eq(apiKeys.id, id))
                .returning({ id: apiKeys.id })
            ).length,
        );
      expect(await revoke("owner", keys.other!)).toBe(0);
      expect(await outcome(revoke("anon", keys.other!))).toBe(DENIED);
      expect(await revoke("owner", keys.owner!)).toBe(1);

      const mine = eq(apiKeys.id, keys.owner!);
      expect(
        await outcome(
          as("owner", (tx) =>
            tx
              .update(apiKeys)
              .set({ scopes: ["audit:read"] })
              .where(mine),
          ),
        ),
      ).toBe(DENIED);
      expect(
        await outcome(
          as("owner", (tx) => tx.update(apiKeys).set({ key: "other-hash" }).where(mine)),
        ),
      ).toBe(DENIED);
      expect(
        await outcome(
          as("owner", (tx) => tx.update(apiKeys).set({ userId: ids.other }).where(mine)),
        ),
      ).toBe(DENIED);
      expect(
        await outcome(
          as("owner", (tx) => tx.update(apiKeys).set({ lastUsed: new Date() }).where(mine)),
        ),
      ).toBe(DENIED);
      const [other] = await database.handle.db
        .select()
        .from(apiKeys)
        .where(eq(apiKeys.id, keys.other!));
      expect(other?.revoked).toBe(false);

      // Site admins revoke anyone's key (the admin area), still not its scopes or hash.
      expect(await revoke("admin", keys.other!)).toBe(1);
      const otherKey = eq(apiKeys.id, keys.other!);
      expect(
        await outcome(as("admin", (tx) => tx.update(apiKeys).set({ key: "x" }).where(otherKey))),
      ).toBe(DENIED);
    });

    it("delete: own keys only", async () => {
      const remove = (who: Who, id: string) =>
        as(
          who,
          async (tx) =>
            (await tx.delete(apiKeys).where(eq(apiKeys.id, id)).returning({ id: apiKeys.id }))
              .length,
        );
      expect(await remove("owner", keys.other!)).toBe(0);
      expect(await remove("admin", keys.other!)).toBe(0);
      expect(await outcome(remove("anon", keys.other!))).toBe(DENIED);
      const [mine] = await database.handle.db
        .insert(apiKeys)
        .values({
          userId: ids.owner,
          organizationId: team,
          name: "temp",
          key: "hash-temp",
          prefix: "temp",
          scopes: ["profile:read"],
        })
        .returning({ id: apiKeys.id });
      expect(await remove("owner", mine!.id)).toBe(1);
    });
  });

  describe("api_audit_logs", () => {
    const visible = (who: Who) =>
      as(who, async (tx) =>
        sorted((await tx.select({ id: apiAuditLogs.id }).from(apiAuditLogs)).map((r) => r.id)),
      );

    it("select: own rows; admins all; anon nothing", async () => {
      expect(await visible("owner")).toEqual([audits.owner]);
      expect(await visible("other")).toEqual([audits.other]);
      expect(await visible("admin")).toEqual(sorted(Object.values(audits)));
      expect(await outcome(visible("anon"))).toBe(DENIED);
    });

    it("insert, update and delete: refused to every request role, own rows included", async () => {
      for (const who of ["owner", "admin", "anon"] as const) {
        const userId = who === "anon" ? null : ids[who];
        expect(
          await outcome(
            as(who, (tx) =>
              tx
                .insert(apiAuditLogs)
                .values({ userId, endpoint: "/forged", method: "GET", statusCode: 200 }),
            ),
          ),
        ).toBe(DENIED);
        expect(
          await outcome(
            as(who, (tx) =>
              tx
                .update(apiAuditLogs)
                .set({ statusCode: 500 })
                .where(eq(apiAuditLogs.id, audits.owner!)),
            ),
          ),
        ).toBe(DENIED);
        expect(
          await outcome(
            as(who, (tx) => tx.delete(apiAuditLogs).where(eq(apiAuditLogs.id, audits.owner!))),
          ),
        ).toBe(DENIED);
      }
      const all = await database.handle.db
        .select({ id: apiAuditLogs.id, status: apiAuditLogs.statusCode })
        .from(apiAuditLogs);
      expect(all).toHaveLength(3);
      expect(all.every((r) => r.status === 200)).toBe(true);
    });
  });

  describe("user", () => {
    const visible = (who: Who) =>
      as(who, async (tx) => sorted((await tx.select({ id: user.id }).from(user)).map((r) => r.id)));

    it("select: non-banned users and yourself; admins everyone; anon nothing", async () => {
      const directory = sorted([ids.owner, ids.other, ids.admin]);
      expect(await visible("owner")).toEqual(directory);
      expect(await visible("admin")).toEqual(sorted(Object.values(ids)));
      expect(await outcome(visible("anon"))).toBe(DENIED);
    });

    it("never exposes email or ban reason to a request role, except your own email", async () => {
      for (const who of ["owner", "admin"] as const) {
        expect(await outcome(as(who, (tx) => tx.select({ email: user.email }).from(user)))).toBe(
          DENIED,
        );
        expect(
          await outcome(as(who, (tx) => tx.select({ reason: user.banReason }).from(user))),
        ).toBe(DENIED);
      }
      const emailOf = (who: Who, target: string) =>
        as(who, async (tx) => {
          const rows = await queryRows<{ email: string | null }>(
            tx,
            sql`select public.user_email(${target}::uuid) as email`,
          );
          return rows[0]?.email ?? null;
        });
      expect(await emailOf("owner", ids.owner)).toBe("owner@example.test");
      expect(await emailOf("owner", ids.other)).toBeNull();
      expect(await emailOf("admin", ids.other)).toBe("other@example.test");
      expect(await outcome(emailOf("anon", ids.owner))).toBe(DENIED);
    });

    it("update: your own name and image only", async () => {
      const rename = (who: Who, id: string) =>
        as(
          who,
          async (tx) =>
            (
              await tx
                .update(user)
                .set({ name: `${who} renamed` })
                .where(eq(user.id, id))
                .returning({ id: user.id })
            ).length,
        );
      expect(await rename("owner", ids.other)).toBe(0);
      expect(await rename("admin", ids.other)).toBe(0);
      expect(await outcome(rename("anon", ids.other))).toBe(DENIED);
      expect(await rename("owner", ids.owner)).toBe(1);

      const me = eq(user.id, ids.owner);
      expect(
        await outcome(as("owner", (tx) => tx.update(user).set({ role: "admin" }).where(me))),
      ).toBe(DENIED);
      expect(
        await outcome(
          as("owner", (tx) => tx.update(user).set({ email: "x@example.test" }).where(me)),
        ),
      ).toBe(DENIED);
      expect(
        await outcome(as("owner", (tx) => tx.update(user).set({ banned: false }).where(me))),
      ).toBe(DENIED);
      expect(
        await outcome(as("owner", (tx) => tx.update(user).set({ emailVerified: true }).where(me))),
      ).toBe(DENIED);
      const [other] = await database.handle.db
        .select({ name: user.name })
        .from(user)
        .where(eq(user.id, ids.other));
      expect(other?.name).toBe("Other");
    });

    it("insert and delete: refused to every request role", async () => {
      for (const who of ["owner", "admin", "anon"] as const) {
        expect(
          await outcome(
            as(who, (tx) => tx.insert(user).values({ name: "X", email: `x-${who}@example.test` })),
          ),
        ).toBe(DENIED);
        expect(await outcome(as(who, (tx) => tx.delete(user).where(eq(user.id, ids.other))))).toBe(
          DENIED,
        );
      }
    });
  });

  describe.each([
    ["session", session],
    ["account", account],
    ["verification", verification],
  ] as const)("%s", (_name, table) => {
    it("is closed to every request role for every operation", async () => {
      for (const who of ["owner", "admin", "anon"] as const) {
        expect(await outcome(as(who, (tx) => tx.select().from(table)))).toBe(DENIED);
        expect(
          await outcome(
            as(who, (tx) =>
              tx
                .update(table)
                .set({ updatedAt: new Date() })
                .where(sql`true`),
            ),
          ),
        ).toBe(DENIED);
        expect(await outcome(as(who, (tx) => tx.delete(table).where(sql`true`)))).toBe(DENIED);
      }
      expect(
        await outcome(
          as("owner", (tx) =>
            tx
              .insert(session)
              .values({ userId: ids.owner, token: "forged", expiresAt: new Date() }),
          ),
        ),
      ).toBe(DENIED);
    });
  });
});
