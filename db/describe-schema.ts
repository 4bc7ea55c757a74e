import "server-only";

import { sql } from "drizzle-orm";
import { queryRows } from "./rows";
import type { Database } from "./types";

/**
 * The `public` schema as it is now, written as SQL a reviewer reads top to bottom: each table
 * with its columns, constraints, row-level security, indexes, triggers, policies and grants,
 * then each function with its grants. Built from the catalog of a migrated database
 * (`npm run db:schema` writes db/schema.sql; a test checks the file against the migrations),
 * so it is what sixteen migrations add up to, not what any one of them says. The owner's own
 * privileges are left out: they depend on who ran the migrations.
 */
export async function describeSchema(db: Database): Promise<string> {
  const rows = <T>(query: ReturnType<typeof sql>) => queryRows<T>(db, query);

  const tables = await rows<{ oid: number; name: string; rls: boolean; force: boolean }>(sql`
    select c.oid::int as oid, c.relname as name, c.relrowsecurity as rls,
           c.relforcerowsecurity as force
    from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = 'public' and c.relkind in ('r', 'p')
    order by c.relname`);

  const columns = await rows<{
    table: number;
    name: string;
    type: string;
    notNull: boolean;
    defaultExpr: string | null;
    generated: string;
    identity: string;
  }>(sql`
    select a.attrelid::int as table, a.attname as name,
           format_type(a.atttypid, a.atttypmod) as type, a.attnotnull as "notNull",
           pg_get_expr(d.adbin, d.adrelid) as "defaultExpr",
           a.attgenerated::text as generated, a.attidentity::text as identity
    from pg_attribute a
    join pg_class c on c.oid = a.attrelid
    join pg_namespace n on n.oid = c.relnamespace
    left join pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum
    where n.nspname = 'public' and c.relkind in ('r', 'p') and a.attnum > 0
      and not a.attisdropped
    order by a.attrelid, a.attnum`);

  const constraints = await rows<{ table: number; name: string; definition: string }>(sql`
    select k.conrelid::int as table, k.conname as name,
           pg_get_constraintdef(k.oid) as definition
    from pg_constraint k join pg_namespace n on n.oid = k.connamespace
    where n.nspname = 'public' and k.conrelid <> 0 and k.contype <> 'n'
    order by k.conrelid,
             array_position(array['p', 'u', 'f', 'c', 'x']::text[], k.contype::text),
             k.conname`);

  const indexes = await rows<{ table: number; definition: string }>(sql`
    select i.indrelid::int as table, pg_get_indexdef(i.indexrelid) as definition
    from pg_index i
    join pg_class c on c.oid = i.indexrelid
    join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = 'public'
      and not exists (select 1 from pg_constraint k where k.conindid = i.indexrelid)
    order by i.indrelid, c.relname`);

  const triggers = await rows<{ table: number; definition: string }>(sql`
    select t.tgrelid::int as table, pg_get_triggerdef(t.oid) as definition
    from pg_trigger t
    join pg_class c on c.oid = t.tgrelid
    join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = 'public' and not t.tgisinternal
    order by t.tgrelid, t.tgname`);

  const policies = await rows<{
    table: number;
    name: string;
    permissive: boolean;
    command: string;
    roles: string[];
    using: string | null;
    check: string | null;
  }>(sql`
    select p.polrelid::int as table, p.polname as name, p.polpermissive as permissive,
           p.polcmd::text as command,
           array(select case when r = 0 then 'public' else pg_get_userbyid(r)::text end
                 from unnest(p.polroles) r order by 1) as roles,
           pg_get_expr(p.polqual, p.polrelid) as using,
           pg_get_expr(p.polwithcheck, p.polrelid) as check
    from pg_policy p
    join pg_class c on c.oid = p.polrelid
    join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = 'public'
    order by p.polrelid, p.polname`);

  const tableGrants = await rows<{ table: number; grantee: string; privileges: string[] }>(sql`
    select c.oid::int as table,
           case when g.grantee = 0 then 'PUBLIC' else pg_get_userbyid(g.grantee)::text end
             as grantee,
           array_agg(g.privilege_type::text order by g.privilege_type) as privileges
    from pg_class c
    join pg_namespace n on n.oid = c.relnamespace
    cross join lateral aclexplode(c.relacl) g
    where n.nspname = 'public' and c.relkind in ('r', 'p') and g.grantee <> c.relowner
    group by c.oid, g.grantee
    order by c.oid, 2`);

  const columnGrants = await rows<{
    table: number;
    grantee: string;
    privilege: string;
    columns: string[];
  }>(sql`
    select c.oid::int as table,
           case when g.grantee = 0 then 'PUBLIC' else pg_get_userbyid(g.grantee)::text end
             as grantee,
           g.privilege_type::text as privilege,
           array_agg(a.attname::text order by a.attnum) as columns
    from pg_attribute a
    join pg_class c on c.oid = a.attrelid
    join pg_namespace n on n.oid = c.relnamespace
    cross join lateral aclexplode(a.attacl) g
    where n.nspname = 'public' and c.relkind in ('r', 'p') and g.grantee <> c.relowner
    group by c.oid, g.grantee, g.privilege_type
    order by c.oid, 2, 3`);

  const functions = await rows<{
    signature: string;
    definition: string;
    publicExecute: boolean;
    grantees: string[];
  }>(sql`
    select format('public.%I(%s)', p.proname, pg_get_function_identity_arguments(p.oid))
             as signature,
           pg_get_functiondef(p.oid) as definition,
           p.proacl is null or exists (
             select 1 from aclexplode(p.proacl) g where g.grantee = 0
           ) as "publicExecute",
           array(select distinct pg_get_userbyid(g.grantee)::text
                 from aclexplode(p.proacl) g
                 where g.grantee not in (0, p.proowner) order by 1) as grantees
    from pg_proc p join pg_namespace n on n.oid = p.pronamespace
    where n.nspname = 'public' and p.prokind in ('f', 'p')
    order by p.proname, pg_get_function_identity_arguments(p.oid)`);

  const schemaGrants = await rows<{ grantee: string; privileges: string[] }>(sql`
    select case when g.grantee = 0 then 'PUBLIC' else pg_get_userbyid(g.grantee)::text end
             as grantee,
           array_agg(g.privilege_type::text order by g.privilege_type) as privileges
    from pg_namespace n cross join lateral aclexplode(n.nspacl) g
    where n.nspname = 'public' and g.grantee <> n.nspowner
    group by g.grantee
    order by 1`);

  const byTable = <T extends { table: number }>(list: T[], table: number) =>
    list.filter((row) => row.table === table);
  const ident = (name: string) => (/^[a-z_][a-z0-9_]*$/.test(name) ? name : `"${name}"`);
  const COMMANDS: Record<string, string> = {
    r: "SELECT",
    a: "INSERT",
    w: "UPDATE",
    d: "DELETE",
    "*": "ALL",
  };

  const out: string[] = [
    "-- The public schema as the migrations in drizzle/ leave it. Generated by",
    "-- `npm run db:schema` from a migrated database; do not edit (a test compares).",
    "",
    ...schemaGrants.map(
      (g) => `GRANT ${g.privileges.join(", ")} ON SCHEMA public TO ${g.grantee};`,
    ),
  ];

  for (const table of tables) {
    const name = `public.${ident(table.name)}`;
    const lines = [
      ...byTable(columns, table.oid).map((c) => {
        let line = `  ${ident(c.name)} ${c.type}`;
        if (c.generated === "s") line += ` GENERATED ALWAYS AS (${c.defaultExpr}) STORED`;
        else if (c.defaultExpr !== null) line += ` DEFAULT ${c.defaultExpr}`;
        if (c.identity === "a") line += " GENERATED ALWAYS AS IDENTITY";
        if (c.identity === "d") line += " GENERATED BY DEFAULT AS IDENTITY";
        if (c.notNull) line += " NOT NULL";
        return line;
      }),
      ...byTable(constraints, table.oid).map(
        (k) => `  CONSTRAINT ${ident(k.name)} ${k.definition}`,
      ),
    ];
    out.push("", `CREATE TABLE ${name} (`, lines.join(",\n"), ");");
    if (table.rls) out.push(`ALTER TABLE ${name} ENABLE ROW LEVEL SECURITY;`);
    if (table.force) out.push(`ALTER TABLE ${name} FORCE ROW LEVEL SECURITY;`);
    for (const index of byTable(indexes, table.oid)) out.push(`${index.definition};`);
    for (const trigger of byTable(triggers, table.oid)) out.push(`${trigger.definition};`);
    for (const policy of byTable(policies, table.oid)) {
      let line = `CREATE POLICY ${ident(policy.name)} ON ${name}`;
      if (!policy.permissive) line += " AS RESTRICTIVE";
      line += ` FOR ${COMMANDS[policy.command] ?? policy.command} TO ${policy.roles.join(", ")}`;
      if (policy.using !== null) line += `\n  USING (${policy.using})`;
      if (policy.check !== null) line += `\n  WITH CHECK (${policy.check})`;
      out.push(`${line};`);
    }
    for (const grant of byTable(tableGrants, table.oid)) {
      out.push(`GRANT ${grant.privileges.join(", ")} ON ${name} TO ${grant.grantee};`);
    }
    for (const grant of byTable(columnGrants, table.oid)) {
      const list = grant.columns.map(ident).join(", ");
      out.push(`GRANT ${grant.privilege} (${list}) ON ${name} TO ${grant.grantee};`);
    }
  }

  for (const fn of functions) {
    out.push("", `${fn.definition.trim()};`);
    if (!fn.publicExecute) out.push(`REVOKE EXECUTE ON FUNCTION ${fn.signature} FROM PUBLIC;`);
    for (const grantee of fn.grantees) {
      out.push(`GRANT EXECUTE ON FUNCTION ${fn.signature} TO ${grantee};`);
    }
  }
  return `${out.join("\n")}\n`;
}
