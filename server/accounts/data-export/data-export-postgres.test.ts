import { describe } from "vitest";
import { availableDrivers } from "@/test/database";
import { dataExportSuite } from "@/test/data-export-suite";

// Server Postgres when there is one (TEST_DATABASE_URL); PGlite runs in data-export.test.ts.
describe.skipIf(!availableDrivers().includes("postgres"))("on server Postgres", () => {
  dataExportSuite("postgres");
});
