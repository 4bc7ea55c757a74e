import "server-only";

import type { ExtractTablesWithRelations } from "drizzle-orm";
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from "drizzle-orm/pg-core";
import type * as schema from "./schema";

export type Schema = typeof schema;
/** The driver-independent Drizzle database: what PGlite and postgres.js have in common. */
export type Database = PgDatabase<PgQueryResultHKT, Schema>;
/** An RLS-scoped transaction, as `withRls` hands it to services. */
export type Tx = PgTransaction<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;
