import "server-only";

import { sql } from "drizzle-orm";
import { withRls } from "@/db/rls";
import { queryRows } from "@/db/rows";
import type { Tx } from "@/db/types";
import { AppError } from "@/server/errors";
import { logger } from "@/server/logger";
import { hashApiKey, parseApiKey } from "./api-key-format";

export interface VerifiedKey {
  keyId: string;
  userId: string;
  /** The key's workspace while its owner is a member of it. */
  organizationId: string | null;
  expiresAt: Date | null;
  scopes: string[];
  rateLimit: number | null;
}

/** A well-formed bearer token: the public id to look the key up by, and the token's hash. */
export interface PresentedKey {
  prefix: string;
  hash: string;
}

interface KeyRow {
  id: string;
  userId: string;
  organizationId: string | null;
  expiresAt: string | Date | null;
  scopes: string[];
  rateLimit: number | null;
  revoked: boolean;
  expired: boolean;
  ownerBanned: boolean;
  /** What the database decided, and acted on: the transaction now runs as the owner. */
  usable: boolean;
}

const touched = new Map<string, number>();

/** Stamps lastUsed at most once a minute per key (the database checks the minute too). */
function touch(keyId: string, hash: string): void {
  const now = Date.now();
  if ((touched.get(keyId) ?? 0) > now - 60_000) return;
  touched.set(keyId, now);
  withRls(null, (tx) =>
    tx.execute(sql`select public.touch_api_key(${keyId}::uuid, ${hash})`),
  ).catch((error: unknown) => logger.warn({ err: error, keyId }, "could not stamp lastUsed"));
}

/** The token's public id and hash; a token that is not shaped like a key is UNAUTHORIZED. */
export function presentApiKey(token: string): PresentedKey {
  const parsed = parseApiKey(token);
  if (!parsed) throw new AppError("UNAUTHORIZED", "Malformed API key");
  return { prefix: parsed.prefix, hash: hashApiKey(token) };
}

/**
 * Verifies a presented key inside `tx`, a `withRls(null, …)` transaction, and makes that same
 * transaction run as the key's owner: one statement looks the key up (`find_api_key`, by its
 * public id and the secret's hash: it answers only for the right secret, and never returns
 * the stored hash) and, only if the key is usable — not revoked, not expired, owner not
 * banned — sets `app.user_id`, `app.org_id` (the key's workspace, while its owner is in it) and the `authenticated` role
 * exactly as `withRls` would for its owner in that workspace.
 * Otherwise the transaction stays `anon`. A REST v1 request therefore authenticates and runs
 * its handler in one transaction, with no round trips of its own. (The database's `=` on a
 * hex digest leaks nothing usable: matching a prefix of a SHA-256 says nothing about the
 * secret.)
 *
 * Unknown, malformed, revoked and expired keys are all UNAUTHORIZED; a banned owner is
 * FORBIDDEN. Every refusal throws, so the caller's transaction rolls back; refusals of a
 * known key with its right secret carry its id, so they can be audited.
 */
export async function authenticateApiKey(tx: Tx, presented: PresentedKey): Promise<VerifiedKey> {
  const { prefix, hash } = presented;
  const [row] = await queryRows<KeyRow>(
    tx,
    sql`select k.id, k."userId", k."organizationId", k."expiresAt", k.scopes, k."rateLimit", k.revoked, k.expired,
          k."ownerBanned", k.usable,
          set_config('app.user_id', case when k.usable then k."userId"::text else '' end, true),
          set_config('app.org_id', case when k.usable then coalesce(k."organizationId"::text, '') else '' end, true),
          set_config('role', case when k.usable then 'authenticated' else 'anon' end, true)
        from (
          select f.*, f."expiresAt" is not null and f."expiresAt" <= now() as expired,
            not f.revoked and not f."ownerBanned"
              and (f."expiresAt" is null or f."expiresAt" > now()) as usable
          from public.find_api_key(${prefix}, ${hash}) f
        ) k`,
  );
  if (!row) throw new AppError("UNAUTHORIZED", "Invalid API key");
  if (row.revoked)
    throw new AppError("UNAUTHORIZED", "This API key has been revoked", { apiKeyId: row.id });
  if (row.expired)
    throw new AppError("UNAUTHORIZED", "This API key has expired", { apiKeyId: row.id });
  if (row.ownerBanned)
    throw new AppError("FORBIDDEN", "The owner of this API key is suspended", { apiKeyId: row.id });
  // Both sides agree on every check above; this only guards against them ever drifting apart.
  if (!row.usable) throw new AppError("UNAUTHORIZED", "Invalid API key", { apiKeyId: row.id });
  touch(row.id, hash);
  return {
    keyId: row.id,
    userId: row.userId,
    organizationId: row.organizationId,
    expiresAt: row.expiresAt === null ? null : new Date(row.expiresAt),
    scopes: row.scopes,
    rateLimit: row.rateLimit,
  };
}

/** Verifies a bearer token on its own, outside a request (a transaction just for it). */
export async function verifyApiKey(token: string): Promise<VerifiedKey> {
  const presented = presentApiKey(token);
  return withRls(null, (tx) => authenticateApiKey(tx, presented));
}
