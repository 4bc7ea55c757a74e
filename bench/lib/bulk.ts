import type { Sql, TransactionSql } from "postgres";

/**
 * Bulk generation inside Postgres with triggers and foreign-key checks off
 * (`session_replication_role = replica`, as the owner). The triggers that keep derived data —
 * per-chat `seq`, `chats.lastSeq`/`lastMessageAt`, members' read pointers — therefore do not
 * run: generators write gap-free `seq` values themselves and set the derived columns, so the
 * rows are exactly what the triggers would have produced.
 */
export async function bulkLoad<T>(sql: Sql, work: (tx: TransactionSql) => Promise<T>): Promise<T> {
  return sql.begin(async (tx) => {
    await tx`set local session_replication_role = replica`;
    return work(tx);
  }) as Promise<T>;
}

/**
 * Runs a large load into `table` with its secondary indexes dropped, then rebuilds them from
 * their own definitions (two at a time, with generous maintenance memory): building an index
 * once is several times faster than maintaining it row by row. Unique indexes are rebuilt as
 * unique, so a generator that broke an invariant (a duplicate seq) fails here.
 */
export async function withSecondaryIndexesDropped(
  sql: Sql,
  table: string,
  load: () => Promise<void>,
): Promise<void> {
  const indexes = await sql<{ name: string; definition: string }[]>`
    select i.indexname as name, i.indexdef as definition
    from pg_indexes i
    join pg_class c on c.relname = i.indexname
    join pg_index x on x.indexrelid = c.oid
    where i.schemaname = 'public' and i.tablename = ${table} and not x.indisprimary
    order by pg_relation_size(c.oid) desc`;
  for (const index of indexes) await sql.unsafe(`drop index public."${index.name}"`);
  await load();
  // Largest first, on two connections: the full-text GIN index dominates.
  const queue = [...indexes];
  const builder = async () => {
    for (let index = queue.shift(); index; index = queue.shift()) {
      const definition = index.definition;
      await sql.begin(async (tx) => {
        await tx`set local maintenance_work_mem = '256MB'`;
        await tx.unsafe(definition);
      });
    }
  };
  await Promise.all([builder(), builder()]);
}

/** Fresh planner statistics and visibility map for what was just loaded, written out. */
export async function vacuumAnalyze(sql: Sql, tables: string[]): Promise<void> {
  for (const table of tables) await sql.unsafe(`vacuum (analyze) public."${table}"`);
  // The generated pages go to disk now, not in the background during the first timed window.
  await sql.unsafe("checkpoint");
}

/** Splits 1…count into `parts` contiguous ranges. */
export function ranges(count: number, parts: number): Array<[number, number]> {
  const size = Math.ceil(count / parts);
  const out: Array<[number, number]> = [];
  for (let start = 1; start <= count; start += size)
    out.push([start, Math.min(count, start + size - 1)]);
  return out;
}
