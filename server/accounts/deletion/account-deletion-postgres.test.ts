import { describe } from "vitest";
import { availableDrivers } from "@/test/database";
import { accountDeletionSuite } from "@/test/account-deletion-suite";

// Server Postgres when there is one (TEST_DATABASE_URL); PGlite runs in account-deletion.test.ts.
describe.skipIf(!availableDrivers().includes("postgres"))("on server Postgres", () => {
  accountDeletionSuite("postgres");
});
