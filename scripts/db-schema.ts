import fs from "node:fs";
import { openPglite } from "@/db/client";
import { describeSchema } from "@/db/describe-schema";
import { migrateDatabase } from "@/db/migrate";
import { SCHEMA_SQL_FILE } from "@/db/schema-file";

/** `npm run db:schema`: db/schema.sql from a fresh in-memory database, migrated. */
const handle = openPglite();
try {
  await migrateDatabase(handle);
  fs.writeFileSync(SCHEMA_SQL_FILE, await describeSchema(handle.db));
  console.log(`Wrote ${SCHEMA_SQL_FILE}.`);
} finally {
  await handle.close();
}
