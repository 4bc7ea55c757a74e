import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { useTestDatabase } from "@/test/database";
import { queryRows } from "./rows";

const database = useTestDatabase();

describe("row-level security coverage", () => {
  it("is enabled on every table in the public schema", async () => {
    const rows = await queryRows<{ name: string }>(
      database.handle.db,
      sql`select c.relname::text as name from pg_catalog.pg_class c
          join pg_catalog.pg_namespace n on n.oid = c.relnamespace
          where n.nspname = 'public' and c.relkind in ('r', 'p') and not c.relrowsecurity`,
    );
    expect(rows).toEqual([]);
  });

  // A view reads with its owner's rights, past every policy: each one must be a barrier (no
  // caller's condition runs before its own) and readable only, and only when signed in.
  it("makes every view a read-only security barrier for signed-in requests", async () => {
    const views = await queryRows<{ name: string; options: string[] | null }>(
      database.handle.db,
      sql`select c.relname::text as name, c.reloptions::text[] as options
          from pg_catalog.pg_class c join pg_catalog.pg_namespace n on n.oid = c.relnamespace
          where n.nspname = 'public' and c.relkind in ('v', 'm')`,
    );
    expect(views.length).toBeGreaterThan(0);
    for (const view of views) {
      expect({ view: view.name, options: view.options }).toEqual({
        view: view.name,
        options: expect.arrayContaining(["security_barrier=true"]) as unknown,
      });
    }
    const grants = await queryRows<{ grantee: string; table_name: string; privilege_type: string }>(
      database.handle.db,
      sql`select grantee::text, table_name::text, privilege_type::text
          from information_schema.role_table_grants
          where table_schema = 'public' and grantee in ('anon', 'authenticated', 'PUBLIC')
            and table_name in (${sql.join(
              views.map((v) => sql`${v.name}`),
              sql`, `,
            )})
          order by table_name, grantee, privilege_type`,
    );
    expect(grants).toEqual(
      views
        .map((v) => v.name)
        .sort()
        .map((name) => ({ grantee: "authenticated", table_name: name, privilege_type: "SELECT" })),
    );
  });

  it("gives request roles nothing on the bookkeeping tables (those with no policy)", async () => {
    const bookkeeping = await queryRows<{ table_name: string }>(
      database.handle.db,
      sql`select c.relname::text as table_name from pg_class c
          join pg_namespace n on n.oid = c.relnamespace
          where n.nspname = 'public' and c.relkind = 'r'
            and not exists (select 1 from pg_policies p
                            where p.schemaname = 'public' and p.tablename = c.relname)
          order by 1`,
    );
    // Every new queue or log the server keeps for itself lands here, and must stay the owner's.
    expect(bookkeeping.map((t) => t.table_name)).toEqual(
      expect.arrayContaining([
        "realtime_captures",
        "realtime_outbox",
        "storage_deletions",
        "dev_mailbox",
        "deleted_chat_members",
        "link_preview_jobs",
        "notification_jobs",
        "push_deliveries",
        "digest_items",
        "digest_state",
      ]),
    );
    const rows = await queryRows<{ grantee: string; table_name: string }>(
      database.handle.db,
      sql`select grantee::text, table_name::text from information_schema.role_table_grants
          where table_schema = 'public'
            and table_name in (${sql.join(
              bookkeeping.map((t) => sql`${t.table_name}`),
              sql`, `,
            )})
            and grantee in ('anon', 'authenticated', 'PUBLIC')`,
    );
    expect(rows).toEqual([]);
  });
});
