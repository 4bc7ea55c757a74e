import { migrateDatabase } from "@/db/migrate";
import { grantAdminRole } from "@/server/accounts/grant-admin";
import { openConfiguredDatabase } from "@/server/database";

/** `npm run admin:grant -- someone@example.com`: makes an existing account a site admin. */
const email = process.argv[2];
if (!email || process.argv.length > 3) {
  console.error("Usage: npm run admin:grant -- someone@example.com");
  process.exit(2);
}

const handle = openConfiguredDatabase();
try {
  // The same migrations the server runs at start: the tables are there even before it ever ran.
  await migrateDatabase(handle);
  const outcome = await grantAdminRole(handle.db, email);
  if (outcome.kind === "unknown-email") {
    console.error(`No account has the email ${email}. Sign up first, then grant the role.`);
    process.exitCode = 1;
  } else if (outcome.kind === "already-admin") {
    console.log(`${outcome.email} is already an admin.`);
  } else {
    console.log(`${outcome.email} is now an admin (recorded in their audit trail).`);
  }
} finally {
  await handle.close();
}
