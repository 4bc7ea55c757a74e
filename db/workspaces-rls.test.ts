import { eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { availableDrivers, useTestDatabase } from "@/test/database";
import { outcome } from "@/test/errors";
import { withRls, type RlsActor } from "./rls";
import { queryRows } from "./rows";
import { invitation, member, organization, user } from "./schema";

/**
 * Workspaces under RLS (drizzle/0035_workspaces.sql), as the request roles through `withRls`,
 * on PGlite and (with TEST_DATABASE_URL) on server Postgres: every account has a workspace of
 * its own from the moment it exists; a request's workspace is the one it names only while the
 * caller is a member; members see their workspaces and fellow members, owners and admins their
 * invitations, and no request role writes any of it.
 *
 * Cast: `ann` owns the workspace `team`, where `ben` is a member and `cat` an admin; `dan` is
 * in no workspace but his own.
 */
type Person = "ann" | "ben" | "cat" | "dan";

const DENIED = "42501";

describe.each(availableDrivers())("workspaces RLS on %s", (driver) => {
  const database = useTestDatabase(driver);
  const ids = {} as Record<Person, string>;
  const personal = {} as Record<Person, string>;
  let team = "";
  const db = () => database.handle.db;
  const tenantOf = (actor: RlsActor) =>
    withRls(actor, async (tx) => {
      const [row] = await queryRows<{ tenant: string | null }>(
        tx,
        sql`select public.get_current_tenant_id() as tenant`,
      );
      return row!.tenant;
    });
  const workspacesSeenBy = (who: Person) =>
    withRls(ids[who], async (tx) =>
      (await tx.select({ id: organization.id }).from(organization)).map((r) => r.id).sort(),
    );

  beforeAll(async () => {
    const people = await db()
      .insert(user)
      .values(
        (["ann", "ben", "cat", "dan"] as const).map((p) => ({
          name: p === "ann" ? "Ann O'Neil & co." : p,
          email: `${p}@workspaces.example.test`,
        })),
      )
      .returning({ id: user.id, email: user.email });
    for (const p of people) ids[p.email.split("@")[0] as Person] = p.id;
    const owned = await db()
      .select({ userId: member.userId, organizationId: member.organizationId })
      .from(member);
    for (const p of Object.keys(ids) as Person[]) {
      personal[p] = owned.find((m) => m.userId === ids[p])!.organizationId;
    }
    const [created] = await db()
      .insert(organization)
      .values({ name: "Team", slug: "team" })
      .returning({ id: organization.id });
    team = created!.id;
    await db()
      .insert(member)
      .values([
        { organizationId: team, userId: ids.ann, role: "owner" },
        { organizationId: team, userId: ids.ben, role: "member" },
        { organizationId: team, userId: ids.cat, role: "admin" },
      ]);
    await db()
      .insert(invitation)
      .values({
        organizationId: team,
        email: "eve@workspaces.example.test",
        role: "member",
        expiresAt: new Date(Date.now() + 86_400_000),
        inviterId: ids.ann,
      });
  });

  it("gives every new account a workspace of its own, which it owns", async () => {
    const rows = await db()
      .select({ name: organization.name, slug: organization.slug, role: member.role })
      .from(member)
      .innerJoin(organization, eq(organization.id, member.organizationId))
      .where(eq(member.organizationId, personal.ann));
    expect(rows).toEqual([
      {
        name: "Ann O'Neil & co.'s workspace",
        slug: expect.stringMatching(/^ann-o-neil-co-[0-9a-f]{8}$/) as unknown,
        role: "owner",
      },
    ]);
    expect(new Set(Object.values(personal)).size).toBe(4);
  });

  it("runs a request in the workspace it names only while the caller is a member", async () => {
    expect(await tenantOf({ userId: ids.ben, organizationId: team })).toBe(team);
    expect(await tenantOf({ userId: ids.ben, organizationId: personal.ben })).toBe(personal.ben);
    // Someone else's workspace, a workspace that does not exist, none, or nobody: no workspace.
    expect(await tenantOf({ userId: ids.dan, organizationId: team })).toBeNull();
    expect(await tenantOf({ userId: ids.ben, organizationId: personal.ann })).toBeNull();
    expect(
      await tenantOf({ userId: ids.ben, organizationId: "00000000-0000-4000-8000-000000000000" }),
    ).toBeNull();
    expect(await tenantOf(ids.ben)).toBeNull();
    // Nobody has no workspace to ask about.
    expect(await outcome(tenantOf(null))).toBe(DENIED);
    // The setting is the transaction's own: the next request starts with none.
    await tenantOf({ userId: ids.ben, organizationId: team });
    expect(await tenantOf(ids.ben)).toBeNull();
  });

  it("ends a former member's access to the workspace at once", async () => {
    const [extra] = await db()
      .insert(member)
      .values({ organizationId: team, userId: ids.dan, role: "member" })
      .returning({ id: member.id });
    expect(await tenantOf({ userId: ids.dan, organizationId: team })).toBe(team);
    await db().delete(member).where(eq(member.id, extra!.id));
    expect(await tenantOf({ userId: ids.dan, organizationId: team })).toBeNull();
    expect(await workspacesSeenBy("dan")).toEqual([personal.dan]);
  });

  it("shows members their workspaces and fellow members, and nothing of others", async () => {
    expect(await workspacesSeenBy("ben")).toEqual([team, personal.ben].sort());
    expect(await workspacesSeenBy("dan")).toEqual([personal.dan]);
    const fellows = await withRls(ids.ben, (tx) =>
      tx.select({ userId: member.userId, organizationId: member.organizationId }).from(member),
    );
    expect(fellows.map((m) => m.userId).sort()).toEqual(
      [ids.ann, ids.ben, ids.cat, ids.ben].sort(),
    );
    expect(fellows.some((m) => m.organizationId === personal.ann)).toBe(false);
    expect(await outcome(withRls(null, (tx) => tx.select().from(organization)))).toBe(DENIED);
    expect(await outcome(withRls(null, (tx) => tx.select().from(member)))).toBe(DENIED);
  });

  it("keeps the sets the policies ask for to the caller's own, read directly too", async () => {
    const peopleSeen = (actor: RlsActor) =>
      withRls(actor, async (tx) =>
        (await queryRows<{ userId: string }>(tx, sql`select "userId" from public.workspace_people`))
          .map((r) => r.userId)
          .sort(),
      );
    expect(await peopleSeen({ userId: ids.ben, organizationId: team })).toEqual(
      [ids.ann, ids.ben, ids.cat].sort(),
    );
    expect(await peopleSeen({ userId: ids.ben, organizationId: personal.ben })).toEqual([ids.ben]);
    expect(await peopleSeen({ userId: ids.dan, organizationId: team })).toEqual([]);
    expect(await peopleSeen(ids.ben)).toEqual([]);
    const chatsSeen = await withRls({ userId: ids.dan, organizationId: team }, (tx) =>
      queryRows(tx, sql`select "chatId" from public.my_chat_memberships`),
    );
    expect(chatsSeen).toEqual([]);
    for (const view of ["workspace_people", "my_chat_memberships"]) {
      expect(
        await outcome(withRls(null, (tx) => tx.execute(sql.raw(`select * from public.${view}`)))),
      ).toBe(DENIED);
    }
  });

  it("shows a workspace's invitations to its owners and admins only", async () => {
    const seenBy = (who: Person) =>
      withRls(ids[who], async (tx) => (await tx.select().from(invitation)).length);
    expect(await seenBy("ann")).toBe(1);
    expect(await seenBy("cat")).toBe(1);
    expect(await seenBy("ben")).toBe(0);
    expect(await seenBy("dan")).toBe(0);
  });

  it("lets no request role make, join, promote in or invite to a workspace", async () => {
    type Tx = Parameters<Parameters<typeof withRls>[1]>[0];
    const attempts = {
      create: (tx: Tx) => tx.insert(organization).values({ name: "Mine", slug: "mine" }),
      join: (tx: Tx) =>
        tx.insert(member).values({ organizationId: team, userId: ids.dan, role: "owner" }),
      promote: (tx: Tx) =>
        tx.update(member).set({ role: "owner" }).where(eq(member.userId, ids.ben)),
      rename: (tx: Tx) =>
        tx.update(organization).set({ name: "Ours" }).where(eq(organization.id, team)),
      leave: (tx: Tx) => tx.delete(member).where(eq(member.userId, ids.ben)),
      invite: (tx: Tx) =>
        tx.insert(invitation).values({
          organizationId: team,
          email: "x@example.test",
          expiresAt: new Date(),
          inviterId: ids.ann,
        }),
    };
    for (const [name, attempt] of Object.entries(attempts)) {
      for (const who of ["ann", "ben"] as const) {
        expect(await outcome(withRls(ids[who], attempt)), `${who} ${name}`).toBe(DENIED);
      }
    }
  });

  it("refuses values no workspace may have, whoever writes them", async () => {
    const bad = [
      { name: " ", slug: "blank-name" },
      { name: "Slug", slug: "Not A Slug" },
      { name: "Slug", slug: "-edge" },
      { name: "Logo", slug: "logo", logo: "https://tracker.example/pixel.png" },
    ];
    for (const values of bad) {
      expect(await outcome(db().insert(organization).values(values)), values.slug).toBe("23514");
    }
    expect(
      await outcome(
        db().insert(member).values({ organizationId: team, userId: ids.dan, role: "emperor" }),
      ),
    ).toBe("23514");
    expect(
      await outcome(db().insert(member).values({ organizationId: team, userId: ids.ben })),
    ).toBe("23505");
  });
});
