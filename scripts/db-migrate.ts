import { openConfiguredDatabase } from "@/server/database";
import { migrateDatabase } from "@/db/migrate";

const handle = openConfiguredDatabase();
try {
  await migrateDatabase(handle);
  console.log(`Migrations applied (${handle.driver}).`);
} finally {
  await handle.close();
}
