/**
 * Serves Parley for the end-to-end tests the way it runs in production: `next build`, then
 * `server/main.ts` with NODE_ENV=production on a new temporary DATA_DIR (embedded PGlite),
 * seeded with the demo accounts so a test can act as the admin. Mail stays in the dev mailbox,
 * opened with DEV_MAILBOX so a test can follow a mailed link. Removes the data on exit.
 */
import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

const port = process.argv[2] ?? "3100";
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "parley-e2e-"));
const tsx = path.resolve("node_modules/.bin/tsx");
const next = path.resolve("node_modules/.bin/next");

// This launcher sets up the children's environment; the app itself reads it via server/env.ts.
// eslint-disable-next-line no-restricted-properties
const inherited = { ...process.env, NEXT_TELEMETRY_DISABLED: "1" };
const appEnv = {
  ...inherited,
  DATA_DIR: dataDir,
  PORT: port,
  APP_URL: `http://localhost:${port}`,
  DATABASE_URL: "",
  LOG_LEVEL: "warn",
  SMTP_URL: "",
  DEV_MAILBOX: "true",
  // Every browser in the run signs in from 127.0.0.1: one address, many people.
  AUTH_ATTEMPT_LIMIT: "1000",
  TWO_FACTOR_ATTEMPT_LIMIT: "1000",
  PASSKEY_ATTEMPT_LIMIT: "1000",
  // Journeys build long chats through the app's own send, far faster than a person types,
  // and every browser shares 127.0.0.1. The limits themselves are tested in Vitest
  // (server/http/trpc.test.ts, server/limits/budgets.test.ts).
  RATE_LIMIT_MESSAGES: "5000",
  RATE_LIMIT_MUTATIONS: "5000",
  RATE_LIMIT_CALLS: "20000",
  RATE_LIMIT_CALLS_PER_ADDRESS: "100000",
  REALTIME_CONNECTS_PER_MINUTE: "100000",
  // The shortest ring allowed, so an unanswered call is seen to become missed.
  CALL_RING_SECONDS: "10",
  // The webhook journey's receiver listens on the loopback address, which production refuses
  // by default.
  WEBHOOK_ALLOW_PRIVATE_TARGETS: "1",
};

function run(command: string, args: string[], extraEnv: Record<string, string>): void {
  const result = spawnSync(command, args, { stdio: "inherit", env: { ...appEnv, ...extraEnv } });
  if (result.status !== 0) {
    fs.rmSync(dataDir, { recursive: true, force: true });
    process.exit(result.status ?? 1);
  }
}

run(next, ["build"], { NODE_ENV: "production" });
run(tsx, ["scripts/db-seed.ts"], { NODE_ENV: "development" });

const server = spawn(tsx, ["server/main.ts"], {
  stdio: "inherit",
  env: { ...appEnv, NODE_ENV: "production", BETTER_AUTH_SECRET: randomBytes(32).toString("hex") },
});

const stop = (signal: NodeJS.Signals) => server.kill(signal);
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
server.on("exit", (code) => {
  fs.rmSync(dataDir, { recursive: true, force: true });
  process.exit(code ?? 0);
});
