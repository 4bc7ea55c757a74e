import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: {
    alias: {
      "@": fileURLToPath(new URL(".", import.meta.url)),
      // As in tsconfig.json: outside Next's bundler the marker has nothing to guard.
      "server-only": fileURLToPath(new URL("node_modules/server-only/empty.js", import.meta.url)),
    },
  },
  test: {
    include: ["**/*.test.ts"],
    exclude: ["node_modules/**", ".next/**", "e2e/**", ".data/**"],
    environment: "node",
    globalSetup: ["./test/global-setup.ts"],
    // Each file gets its own process, database and Better Auth instance.
    pool: "forks",
    // At least two files at once, even on two cores: a test file spends most of its time
    // waiting on Postgres, sockets and timers rather than computing.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    testTimeout: 30_000,
    hookTimeout: 120_000,
    env: {
      NODE_ENV: "test",
      // The push services a browser would use, and the loopback one the tests start.
      PUSH_SERVICE_HOSTS:
        "fcm.googleapis.com,updates.push.services.mozilla.com,web.push.apple.com,127.0.0.1",
    },
    reporters: ["default", "./test/summary-reporter.ts"],
  },
});
