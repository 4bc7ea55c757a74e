import "server-only";

import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { env } from "./env";
import { logger } from "./logger";

/**
 * BETTER_AUTH_SECRET signs sessions. Production must set it. In development it is generated
 * once and kept in $DATA_DIR, so sessions survive restarts; tests use a fresh one per process.
 */
export function resolveAuthSecret(): string {
  if (env.BETTER_AUTH_SECRET) return env.BETTER_AUTH_SECRET;
  if (env.isProduction) {
    throw new Error("BETTER_AUTH_SECRET is required when NODE_ENV=production (32+ characters)");
  }
  if (env.isTest) return randomBytes(32).toString("base64url");

  const file = path.join(env.dataDir, "auth-secret");
  try {
    const stored = fs.readFileSync(file, "utf8").trim();
    if (stored.length >= 32) return stored;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  const secret = randomBytes(32).toString("base64url");
  fs.mkdirSync(env.dataDir, { recursive: true });
  fs.writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  logger.warn(
    { file },
    "BETTER_AUTH_SECRET is not set: generated a development secret and saved it",
  );
  return secret;
}
