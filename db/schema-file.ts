import "server-only";

import { fileURLToPath } from "node:url";

/** Where the current definitions of the database live (`npm run db:schema`). */
export const SCHEMA_SQL_FILE = fileURLToPath(new URL("./schema.sql", import.meta.url));
