import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { RESERVED_META_KEYS } from "@/contracts/preferences";
import { availableDrivers, useTestDatabase } from "@/test/database";
import { outcome } from "@/test/errors";
import { shareWorkspace } from "@/test/workspace";
import { withRls, type RlsActor } from "./rls";
import { queryRows } from "./rows";
import { member, user, userMetas } from "./schema";

/**
 * `people_matching_fields` (drizzle/0043_searchable_fields.sql), as the request roles call it
 * through `withRls`, on PGlite and (with TEST_DATABASE_URL) on server Postgres: it finds a
 * person by a field they marked searchable — public or not — and answers only their id, only
 * for people the caller may find in their workspace.
 *
 * Cast: `ann`, `ben`, `cat` and `eve` (banned) share the workspace `team`; `dan` is only in a
 * workspace of his own.
 */
type Person = "ann" | "ben" | "cat" | "dan" | "eve";

const DENIED = "42501";

interface Field {
  key: string;
  value: unknown;
  dataType: "text" | "number" | "boolean" | "json";
  isPublic?: boolean;
  isSearchable?: boolean;
}

describe.each(availableDrivers())("searchable fields on %s", (driver) => {
  const database = useTestDatabase(driver);
  const ids = {} as Record<Person, string>;
  let team = "";
  const db = () => database.handle.db;

  const fields = (who: Person, rows: readonly Field[]) =>
    db()
      .insert(userMetas)
      .values(
        rows.map((f) => ({
          userId: ids[who],
          metaKey: f.key,
          metaValue: f.value,
          dataType: f.dataType,
          isPublic: f.isPublic ?? false,
          isSearchable: f.isSearchable ?? false,
        })),
      );

  const matching = (actor: RlsActor, query: string, maxRows = 20) =>
    withRls(actor, async (tx) =>
      (
        await queryRows<{ id: string }>(
          tx,
          sql`select id from public.people_matching_fields(${query}, ${maxRows}) as id`,
        )
      ).map((r) => r.id),
    );
  const annFinds = (query: string, maxRows?: number) =>
    matching({ userId: ids.ann, organizationId: team }, query, maxRows);

  beforeAll(async () => {
    const people = await db()
      .insert(user)
      .values(
        (["ann", "ben", "cat", "dan", "eve"] as const).map((p) => ({
          name: p,
          email: `${p}@searchable.example.test`,
          banned: p === "eve",
        })),
      )
      .returning({ id: user.id, email: user.email });
    for (const p of people) ids[p.email.split("@")[0] as Person] = p.id;
    team = await shareWorkspace([ids.ann, ids.ben, ids.cat, ids.eve], "Team", db());

    await fields("ben", [
      { key: "employeeId", value: "EMP-4711", dataType: "text", isSearchable: true },
      { key: "nickname", value: "Benji", dataType: "text", isPublic: true },
      { key: "shoeSize", value: 44.5, dataType: "number", isSearchable: true },
      { key: "onCall", value: true, dataType: "boolean", isSearchable: true },
      { key: "skills", value: { lang: "haskell" }, dataType: "json", isSearchable: true },
      // Reserved keys hold preferences: never matched, whatever the flag says. Text under
      // each (the table takes any type there; the app would not) so each could match.
      ...[...RESERVED_META_KEYS].map((key) => ({
        key,
        value: `pref-${key}`,
        dataType: "text" as const,
        isSearchable: true,
      })),
    ]);
    await fields("cat", [
      { key: "discount", value: "50% off_today", dataType: "text", isSearchable: true },
    ]);
    // The same value as ben's, where ann must not find it: another workspace, a banned
    // person, and ann herself.
    for (const who of ["dan", "eve", "ann"] as const) {
      await fields(who, [
        { key: "employeeId", value: "EMP-4711", dataType: "text", isSearchable: true },
      ]);
    }
  });

  it("finds a person by a searchable field, whole or in part, ignoring case", async () => {
    expect(await annFinds("EMP-4711")).toEqual([ids.ben]);
    expect(await annFinds("emp-47")).toEqual([ids.ben]);
    // A number, as written.
    expect(await annFinds("44.5")).toEqual([ids.ben]);
  });

  it("finds no one by a field that is not searchable, even a public one", async () => {
    expect(await annFinds("Benji")).toEqual([]);
  });

  it("finds no one by a boolean or by JSON", async () => {
    expect(await annFinds("true")).toEqual([]);
    expect(await annFinds("haskell")).toEqual([]);
    expect(await annFinds("lang")).toEqual([]);
  });

  it("never matches a preference stored under a reserved key", async () => {
    expect(await annFinds("pref-")).toEqual([]);
    for (const key of RESERVED_META_KEYS) expect(await annFinds(key), key).toEqual([]);
  });

  it("takes the query literally: no wildcards", async () => {
    expect(await annFinds("50% off_")).toEqual([ids.cat]);
    expect(await annFinds("%")).toEqual([ids.cat]);
    expect(await annFinds("5_%")).toEqual([]);
    expect(await annFinds("off%today")).toEqual([]);
  });

  it("finds only the caller's workspace's people: not another workspace, not the banned, not themself", async () => {
    // dan, eve and ann hold the same value as ben; only ben is found.
    expect(await annFinds("EMP-4711")).toEqual([ids.ben]);
    // dan looks from his own workspace: nobody there holds it.
    expect(await matching(ids.dan, "EMP-4711")).toEqual([]);
    const [personal] = await db()
      .select({ id: member.organizationId })
      .from(member)
      .where(sql`${member.userId} = ${ids.ann} and ${member.organizationId} <> ${team}`);
    // ann in her own workspace does not find the team's ben; nor with no workspace at all.
    expect(await matching({ userId: ids.ann, organizationId: personal!.id }, "EMP-4711")).toEqual(
      [],
    );
    expect(await matching({ userId: ids.ann, organizationId: null }, "EMP-4711")).toEqual([]);
    // A workspace ann is not a member of is not honoured.
    expect(await matching({ userId: ids.dan, organizationId: team }, "EMP-4711")).toEqual([]);
  });

  it("answers nothing to an empty or over-long query, and at most the rows asked", async () => {
    expect(await annFinds("")).toEqual([]);
    expect(await annFinds(`EMP-4711${"x".repeat(100)}`)).toEqual([]);
    // "5" is in ben's shoe size and cat's discount.
    expect(await annFinds("5")).toEqual([ids.ben, ids.cat]);
    expect(await annFinds("5", 1)).toEqual([ids.ben]);
    expect(await annFinds("5", 0)).toEqual([]);
    expect(await annFinds("5", -5)).toEqual([]);
  });

  it("cannot be called without signing in", async () => {
    expect(await outcome(matching(null, "EMP-4711"))).toBe(DENIED);
  });

  it("returns ids only: no key, no value, from a definer with a fixed search_path", async () => {
    const [shape] = await queryRows<{
      returns: string;
      set: boolean;
      outArgs: string[] | null;
      definer: boolean;
      config: string[] | null;
    }>(
      db(),
      sql`select p.prorettype::regtype::text as returns, p.proretset as set,
            p.proargmodes::text[] as "outArgs", p.prosecdef as definer, p.proconfig as config
          from pg_catalog.pg_proc p
          where p.oid = 'public.people_matching_fields(text, integer)'::regprocedure`,
    );
    expect(shape).toEqual({
      returns: "uuid",
      set: true,
      outArgs: null,
      definer: true,
      config: ['search_path=""'],
    });
    const rows = await withRls({ userId: ids.ann, organizationId: team }, (tx) =>
      queryRows<Record<string, unknown>>(
        tx,
        sql`select * from public.people_matching_fields(${"EMP-4711"}, ${20})`,
      ),
    );
    expect(rows).toEqual([{ people_matching_fields: ids.ben }]);
  });
});
