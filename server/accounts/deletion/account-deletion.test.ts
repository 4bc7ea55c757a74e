import { accountDeletionSuite } from "@/test/account-deletion-suite";

// Embedded PGlite; server Postgres runs in account-deletion-postgres.test.ts.
accountDeletionSuite("pglite");
