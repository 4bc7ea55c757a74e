import "server-only";

import { hkdfSync } from "node:crypto";
import { resolveAuthSecret } from "./auth-secret";
import { env } from "./env";

/**
 * The key that signs realtime tokens and storage URLs, like a Supabase project's JWT secret.
 * In Supabase mode it is SUPABASE_JWT_SECRET (so hosted Realtime and Storage accept what
 * Parley signs); otherwise it is derived from the auth secret, which production requires and
 * development keeps in $DATA_DIR, so every instance of one deployment derives the same key.
 */
let key: Uint8Array | undefined;

export function projectJwtKey(): Uint8Array {
  if (!key) {
    key = env.supabase
      ? new TextEncoder().encode(env.supabase.jwtSecret)
      : new Uint8Array(
          hkdfSync("sha256", resolveAuthSecret(), "parley", "parley project jwt v1", 32),
        );
  }
  return key;
}
