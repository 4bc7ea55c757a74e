import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import { migrate } from "drizzle-orm/pglite/migrator";
import { afterAll, describe, expect, it } from "vitest";
import { openPglite } from "./client";
import { MIGRATIONS_FOLDER } from "./migrate";
import { queryRows } from "./rows";

/**
 * A deployment that predates workspaces keeps working: migrating it puts all of its people in
 * one workspace (its earliest site admin the owner, other admins admins) with every session,
 * chat and API key in it; accounts made afterwards get a workspace of their own.
 */
describe("upgrading a deployment to workspaces", () => {
  const handle = openPglite();
  const before = mkdtempSync(join(tmpdir(), "parley-migrations-"));
  afterAll(async () => {
    await handle.close();
    rmSync(before, { recursive: true, force: true });
  });
  type Migratable = Parameters<typeof migrate>[0];

  it("puts everyone and every session in one workspace", async () => {
    cpSync(MIGRATIONS_FOLDER, before, { recursive: true });
    const journalFile = join(before, "meta/_journal.json");
    const journal = JSON.parse(readFileSync(journalFile, "utf8")) as {
      entries: { tag: string }[];
    };
    const at = journal.entries.findIndex((entry) => entry.tag === "0035_workspaces");
    writeFileSync(
      journalFile,
      JSON.stringify({ ...journal, entries: journal.entries.slice(0, at) }),
    );
    await migrate(handle.db as Migratable, { migrationsFolder: before });

    const db = handle.db;
    await db.execute(sql`
      insert into public."user" (id, name, email, role, "createdAt") values
        ('00000000-0000-4000-8000-000000000001', 'Early user', 'early@up.test', 'user', now() - interval '3 days'),
        ('00000000-0000-4000-8000-000000000002', 'First admin', 'first@up.test', 'admin', now() - interval '2 days'),
        ('00000000-0000-4000-8000-000000000003', 'Second admin', 'second@up.test', 'admin', now() - interval '1 day')`);
    await db.execute(sql`
      insert into public.session (token, "userId", "expiresAt")
      values ('t1', '00000000-0000-4000-8000-000000000001', now() + interval '1 day')`);
    await db.execute(sql`
      insert into public.chats (type, name, "createdBy")
      values ('group', 'Old group', '00000000-0000-4000-8000-000000000001')`);
    await db.execute(sql`
      insert into public.api_keys ("userId", name, key, prefix, scopes)
      values ('00000000-0000-4000-8000-000000000002', 'old key', 'hash-old', 'oldkey01', '{profile:read}')`);

    await migrate(handle.db as Migratable, { migrationsFolder: MIGRATIONS_FOLDER });

    const members = await queryRows<{ email: string; role: string; workspace: string }>(
      db,
      sql`select u.email, m.role, o.name as workspace from public.member m
          join public."user" u on u.id = m."userId"
          join public.organization o on o.id = m."organizationId"
          order by u.email`,
    );
    expect(members).toEqual([
      { email: "early@up.test", role: "member", workspace: "Parley" },
      { email: "first@up.test", role: "owner", workspace: "Parley" },
      { email: "second@up.test", role: "admin", workspace: "Parley" },
    ]);
    const sessions = await queryRows<{ workspace: string }>(
      db,
      sql`select o.name as workspace from public.session s
          join public.organization o on o.id = s."activeOrganizationId"`,
    );
    expect(sessions).toEqual([{ workspace: "Parley" }]);
    const owned = await queryRows<{ what: string; workspace: string }>(
      db,
      sql`select 'chat' as what, o.name as workspace from public.chats c
            join public.organization o on o.id = c."organizationId"
          union all
          select 'key', o.name from public.api_keys k
            join public.organization o on o.id = k."organizationId"`,
    );
    expect(owned).toEqual([
      { what: "chat", workspace: "Parley" },
      { what: "key", workspace: "Parley" },
    ]);

    await db.execute(
      sql`insert into public."user" (name, email) values ('Newcomer', 'new@up.test')`,
    );
    const newcomer = await queryRows<{ workspace: string; role: string }>(
      db,
      sql`select o.name as workspace, m.role from public.member m
          join public.organization o on o.id = m."organizationId"
          join public."user" u on u.id = m."userId" where u.email = 'new@up.test'`,
    );
    expect(newcomer).toEqual([{ workspace: "Newcomer's workspace", role: "owner" }]);
  });
});
