import "server-only";

import { and, sql, type SQL } from "drizzle-orm";
import { withRls } from "@/db/rls";
import { queryRows } from "@/db/rows";

/**
 * postgres_changes: row changes of the chat tables, delivered to each subscriber only if
 * that subscriber can SELECT the row under RLS (read back as them, as Supabase does).
 * DELETEs carry the primary key only; they go to subscribers still in the row's chat.
 */
export const CHANGE_TABLES = {
  messages: { chatColumn: "chatId", key: ["id"] },
  chats: { chatColumn: "id", key: ["id"] },
  chat_members: { chatColumn: "chatId", key: ["chatId", "userId"] },
  message_reactions: { chatColumn: "chatId", key: ["messageId", "userId", "emoji"] },
  message_pins: { chatColumn: "chatId", key: ["messageId"] },
  message_threads: { chatColumn: "chatId", key: ["rootId"] },
} as const;
export type ChangeTable = keyof typeof CHANGE_TABLES;
export type ChangeOperation = "INSERT" | "UPDATE" | "DELETE";
export type ChangeEvent = ChangeOperation | "*";

const isChangeTable = (t: unknown): t is ChangeTable =>
  typeof t === "string" && Object.hasOwn(CHANGE_TABLES, t);

export interface Column {
  name: string;
  type: string;
}

export interface ChangeSubscription {
  id: number;
  event: ChangeEvent;
  table: ChangeTable;
  filter: { column: string; value: string } | null;
}

/** The reference a capture trigger notifies. */
export interface ChangeReference {
  t: string;
  o: ChangeOperation;
  k: Record<string, unknown>;
  /** The chat the row belongs to. */
  c: string | null;
  ts: string;
}

export interface ChangeData {
  schema: "public";
  table: string;
  commit_timestamp: string;
  type: ChangeOperation;
  columns: Column[];
  record?: Record<string, unknown>;
  old_record?: Record<string, unknown>;
  errors: null;
}

/** Supabase gives each binding an integer id derived from its parameters. */
export function bindingId(binding: Record<string, unknown>): number {
  const text = JSON.stringify([binding.event, binding.schema, binding.table, binding.filter]);
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % 2 ** 27;
}

export interface ParsedBindings {
  /** The join reply: every binding, in the client's order, with its id. */
  reply: Record<string, unknown>[];
  subscriptions: ChangeSubscription[];
  /** Bindings that were not accepted, with why. */
  errors: string[];
}

const EVENTS = new Set(["INSERT", "UPDATE", "DELETE", "*"]);

export async function parseBindings(
  raw: unknown,
  columnsOf: (table: ChangeTable) => Promise<Column[]>,
): Promise<ParsedBindings> {
  const result: ParsedBindings = { reply: [], subscriptions: [], errors: [] };
  if (!Array.isArray(raw)) return result;
  for (const item of raw as unknown[]) {
    const binding =
      item && typeof item === "object" && !Array.isArray(item)
        ? (item as Record<string, unknown>)
        : {};
    const id = bindingId(binding);
    result.reply.push({ ...binding, id });
    const { event, schema, table, filter } = binding;
    const hasFilter = filter !== undefined && filter !== null && filter !== "";
    const match =
      typeof filter === "string" ? /^([A-Za-z_][A-Za-z0-9_]*)=eq\.(.*)$/s.exec(filter) : null;
    let problem: string | null = null;
    if (typeof event !== "string" || !EVENTS.has(event)) {
      problem = "event must be INSERT, UPDATE, DELETE or *";
    } else if (schema !== undefined && schema !== "public") {
      problem = "only the public schema is published";
    } else if (!isChangeTable(table)) {
      problem = `table must be one of ${Object.keys(CHANGE_TABLES).join(", ")}`;
    } else if (hasFilter && !match) {
      problem = "filter must be column=eq.value";
    } else if (match && !(await columnsOf(table)).some((c) => c.name === match[1])) {
      problem = `unknown column ${match[1]}`;
    }
    if (problem) {
      result.errors.push(problem);
      continue;
    }
    result.subscriptions.push({
      id,
      event: event as ChangeEvent,
      table: table as ChangeTable,
      filter: match ? { column: match[1] as string, value: match[2] as string } : null,
    });
  }
  return result;
}

/** A channel with postgres_changes subscriptions. */
export interface ChangeTarget {
  readonly userId: string | null;
  /** The workspace the channel's token was minted in: rows are read as the user there. */
  readonly organizationId: string | null;
  readonly changeSubscriptions: readonly ChangeSubscription[];
  deliverChange(ids: number[], data: ChangeData): void;
}

const SAFE_TYPE = /^[a-z0-9_]+$/;

type Actor = { userId: string; organizationId: string | null };

/**
 * Columns read through an expression instead of as stored: other members' read pointers
 * only where read receipts allow (two-way; see drizzle/0013_membership_sets.sql), as in tRPC.
 */
const readPointerHidden = sql`t."userId" in (select public.hidden_read_pointers(t."chatId"))`;
const MASKED_COLUMNS: Partial<Record<ChangeTable, Record<string, SQL>>> = {
  chat_members: {
    lastReadSeq: sql`(case when ${readPointerHidden} then 0 else t."lastReadSeq" end)`,
    lastReadAt: sql`(case when ${readPointerHidden} then null else t."lastReadAt" end)`,
    // The ordinal at the read pointer tells as much as the pointer itself.
    lastReadOrdinal: sql`(case when ${readPointerHidden} then 0 else t."lastReadOrdinal" end)`,
    // A member's "mark as unread" is theirs alone.
    unreadFromSeq: sql`(case when t."userId" = public.get_auth_user_id() then t."unreadFromSeq" end)`,
    unreadFromOrdinal: sql`(case when t."userId" = public.get_auth_user_id() then t."unreadFromOrdinal" end)`,
  },
};

function cellMatches(value: unknown, expected: string): boolean {
  if (value === null || value === undefined) return expected === "null";
  return (typeof value === "string" ? value : JSON.stringify(value)) === expected;
}

function matchingIds(
  target: ChangeTarget,
  table: string,
  operation: ChangeOperation,
  row: Record<string, unknown> | null,
): number[] {
  const ids: number[] = [];
  for (const s of target.changeSubscriptions) {
    if (s.table !== table || (s.event !== "*" && s.event !== operation)) continue;
    if (s.filter) {
      if (!row || !Object.hasOwn(row, s.filter.column)) continue;
      if (!cellMatches(row[s.filter.column], s.filter.value)) continue;
    }
    if (!ids.includes(s.id)) ids.push(s.id);
  }
  return ids;
}

export class PostgresChangeDispatcher {
  private readonly columnCache = new Map<ChangeTable, Promise<Column[]>>();

  constructor(
    private readonly targets: () => Iterable<ChangeTarget>,
    private readonly canSeeChat: (actor: Actor, chatId: string) => Promise<boolean>,
  ) {}

  /** The columns a signed-in user may read (generated columns are not replicated). */
  columnsOf = (table: ChangeTable): Promise<Column[]> => {
    let cached = this.columnCache.get(table);
    if (!cached) {
      cached = withRls(null, (tx) =>
        queryRows<Column>(
          tx,
          sql`select a.attname::text as name, t.typname::text as type
              from pg_catalog.pg_attribute a
              join pg_catalog.pg_type t on t.oid = a.atttypid
              where a.attrelid = ${`public.${table}`}::regclass and a.attnum > 0
                and not a.attisdropped and a.attgenerated = ''
                and has_column_privilege('authenticated', a.attrelid, a.attnum, 'SELECT')
              order by a.attnum`,
        ),
      );
      cached.catch(() => this.columnCache.delete(table));
      this.columnCache.set(table, cached);
    }
    return cached;
  };

  tablesInUse(): Set<ChangeTable> {
    const tables = new Set<ChangeTable>();
    for (const target of this.targets()) {
      for (const s of target.changeSubscriptions) tables.add(s.table);
    }
    return tables;
  }

  /** Delivers one captured change to every local subscriber allowed to see it. */
  async dispatch(ref: ChangeReference): Promise<void> {
    if (!isChangeTable(ref.t)) return;
    const table = ref.t;
    const interested = [...this.targets()].filter(
      (t) =>
        t.userId !== null &&
        t.changeSubscriptions.some(
          (s) => s.table === table && (s.event === "*" || s.event === ref.o),
        ),
    );
    if (!interested.length) return;

    const columns = await this.columnsOf(table);
    const config = CHANGE_TABLES[table];
    const key: Record<string, unknown> = {};
    for (const k of config.key) key[k] = ref.k[k];
    const base = {
      schema: "public" as const,
      table,
      commit_timestamp: new Date(ref.ts).toISOString(),
      type: ref.o,
      columns,
      errors: null,
    };

    // One read per subscribing user and workspace, as that user in that workspace.
    const byActor = new Map<string, { actor: Actor; targets: ChangeTarget[] }>();
    for (const t of interested) {
      const actor = { userId: t.userId as string, organizationId: t.organizationId };
      const id = `${actor.userId}:${actor.organizationId ?? ""}`;
      const entry = byActor.get(id) ?? { actor, targets: [] };
      entry.targets.push(t);
      byActor.set(id, entry);
    }
    for (const { actor, targets } of byActor.values()) {
      if (ref.o === "DELETE") {
        if (!ref.c || !(await this.canSeeChat(actor, ref.c))) continue;
        const known = { ...key, [config.chatColumn]: ref.c };
        for (const target of targets) {
          const ids = matchingIds(target, table, ref.o, known);
          if (ids.length) target.deliverChange(ids, { ...base, old_record: key });
        }
        continue;
      }
      const row = await this.readRowAs(actor, table, key, columns);
      if (!row) continue;
      for (const target of targets) {
        const ids = matchingIds(target, table, ref.o, row);
        if (!ids.length) continue;
        target.deliverChange(
          ids,
          ref.o === "INSERT" ? { ...base, record: row } : { ...base, record: row, old_record: key },
        );
      }
    }
  }

  private async readRowAs(
    actor: Actor,
    table: ChangeTable,
    key: Record<string, unknown>,
    columns: Column[],
  ): Promise<Record<string, unknown> | null> {
    const typeOf = new Map(columns.map((c) => [c.name, c.type]));
    const conditions: SQL[] = [];
    for (const [name, value] of Object.entries(key)) {
      const type = typeOf.get(name);
      if (!type || !SAFE_TYPE.test(type) || value === null || value === undefined) return null;
      const text = typeof value === "string" ? value : JSON.stringify(value);
      conditions.push(sql`t.${sql.identifier(name)} = ${text}::${sql.raw(type)}`);
    }
    const masked = MASKED_COLUMNS[table] ?? {};
    const fields = sql.join(
      columns.map(
        (c) => sql`${c.name}::text, ${masked[c.name] ?? sql`t.${sql.identifier(c.name)}`}`,
      ),
      sql`, `,
    );
    const [found] = await withRls(actor, (tx) =>
      queryRows<{ r: unknown }>(
        tx,
        sql`select json_build_object(${fields}) as r from public.${sql.identifier(table)} t where ${and(...conditions)}`,
      ),
    );
    if (!found) return null;
    return (typeof found.r === "string" ? JSON.parse(found.r) : found.r) as Record<string, unknown>;
  }
}
