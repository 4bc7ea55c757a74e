import { openConfiguredDatabase } from "@/server/database";
import { migrateDatabase } from "@/db/migrate";
import { seedDemoData } from "@/server/seed/demo-data";
import { getAuth } from "@/server/auth";
import { env } from "@/server/env";

if (env.isProduction) {
  console.error("Refusing to seed demo accounts with NODE_ENV=production.");
  process.exit(1);
}

const handle = openConfiguredDatabase();
try {
  await migrateDatabase(handle);
  const created = await seedDemoData(handle.db, getAuth());
  console.log(
    created.length > 0
      ? `Created demo accounts: ${created.join(", ")}`
      : "Demo accounts already exist.",
  );
} finally {
  await handle.close();
}
