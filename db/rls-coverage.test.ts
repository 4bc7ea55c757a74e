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

  it("gives request roles nothing on the bookkeeping tables", async () => {
    const rows = await queryRows<{ grantee: string; table_name: string }>(
      database.handle.db,
      sql`select grantee::text, table_name::text from information_schema.role_table_grants
          where table_schema = 'public' and table_name in ('realtime_captures', 'realtime_outbox', 'storage_deletions', 'dev_mailbox', 'deleted_chat_members', 'link_preview_jobs')
            and grantee in ('anon', 'authenticated', 'PUBLIC')`,
    );
    expect(rows).toEqual([]);
  });
});
