import { vi } from "vitest";
import { webhooksSuite } from "@/test/webhooks-suite";

// The receiver listens on loopback, which only a development setting may reach.
vi.hoisted(() => vi.stubEnv("WEBHOOK_ALLOW_PRIVATE_TARGETS", "true"));

// Embedded PGlite; server Postgres runs in webhooks-postgres.test.ts.
webhooksSuite("pglite");
