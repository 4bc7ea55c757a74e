import fs from "node:fs";
import path from "node:path";
import { sql } from "drizzle-orm";
import { openConfiguredDatabase } from "@/server/database";
import { migrateDatabase } from "@/db/migrate";
import { seedDemoData } from "@/server/seed/demo-data";
import { getAuth } from "@/server/auth";
import { env } from "@/server/env";

if (env.isProduction) {
  console.error("Refusing to reset the database with NODE_ENV=production.");
  process.exit(1);
}

if (env.embedded) {
  fs.rmSync(path.join(env.dataDir, "pglite"), { recursive: true, force: true });
} else {
  const handle = openConfiguredDatabase();
  try {
    await handle.db.execute(sql`drop schema if exists drizzle cascade`);
    await handle.db.execute(sql`drop schema public cascade`);
    await handle.db.execute(sql`create schema public`);
    await handle.db.execute(sql`grant usage on schema public to public`);
  } finally {
    await handle.close();
  }
}

const handle = openConfiguredDatabase();
try {
  await migrateDatabase(handle);
  await seedDemoData(handle.db, getAuth());
  console.log("Database reset and demo accounts created.");
} finally {
  await handle.close();
}
