import fs from "node:fs";
import { describe, expect, it } from "vitest";
import { openPglite } from "./client";
import { describeSchema } from "./describe-schema";
import { migrateDatabase } from "./migrate";
import { SCHEMA_SQL_FILE } from "./schema-file";

/**
 * db/schema.sql is what reviewers read instead of replaying the migrations: it must say what
 * a freshly migrated database is. Always on PGlite, where the catalog's text is the same on
 * every machine.
 */
describe("db/schema.sql", () => {
  it("is what the migrations make (npm run db:schema writes it)", async () => {
    const handle = openPglite();
    try {
      await migrateDatabase(handle);
      const current = await describeSchema(handle.db);
      expect(
        fs.readFileSync(SCHEMA_SQL_FILE, "utf8"),
        "db/schema.sql is out of date: run npm run db:schema",
      ).toBe(current);
    } finally {
      await handle.close();
    }
  });
});
