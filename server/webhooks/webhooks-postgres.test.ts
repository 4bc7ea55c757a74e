import { describe, vi } from "vitest";
import { availableDrivers } from "@/test/database";
import { webhooksSuite } from "@/test/webhooks-suite";

// The receiver listens on loopback, which only a development setting may reach.
vi.hoisted(() => vi.stubEnv("WEBHOOK_ALLOW_PRIVATE_TARGETS", "true"));

// Server Postgres when there is one (TEST_DATABASE_URL); PGlite runs in webhooks.test.ts.
describe.skipIf(!availableDrivers().includes("postgres"))("on server Postgres", () => {
  webhooksSuite("postgres");
});
