import { sql } from "drizzle-orm";
import { withRls } from "@/db/rls";
import { queryRows, toDate } from "@/db/rows";
import { AppError } from "@/server/errors";
import { logger } from "@/server/logger";
import { hashApiKey, hashesEqual, parseApiKey } from "./key-format";

export interface VerifiedKey {
  keyId: string;
  userId: string;
  scopes: string[];
  rateLimit: number | null;
}

interface KeyRow {
  id: string;
  userId: string;
  key: string;
  scopes: string[];
  rateLimit: number | null;
  revoked: boolean;
  expiresAt: Date | string | null;
  ownerBanned: boolean;
}

const TOUCHED = Symbol.for("parley.apiKeyTouched");
type GlobalWithTouched = typeof globalThis & { [TOUCHED]?: Map<string, number> };
const store = globalThis as GlobalWithTouched;

/** Stamps lastUsed at most once a minute per key (the database checks the minute too). */
function touch(keyId: string, hash: string): void {
  const touched = (store[TOUCHED] ??= new Map());
  const now = Date.now();
  if ((touched.get(keyId) ?? 0) > now - 60_000) return;
  touched.set(keyId, now);
  withRls(null, (tx) =>
    tx.execute(sql`select public.touch_api_key(${keyId}::uuid, ${hash})`),
  ).catch((error: unknown) => logger.warn({ err: error, keyId }, "could not stamp lastUsed"));
}

/**
 * The key behind a bearer token: parse, one indexed lookup by public id, constant-time hash
 * compare, then revoked / expired / banned owner. Unknown, malformed, revoked and expired
 * keys are all UNAUTHORIZED; a banned owner is FORBIDDEN. Returns the key id when the token
 * named one, so failures can be audited against it.
 */
export async function verifyApiKey(token: string): Promise<VerifiedKey> {
  const parsed = parseApiKey(token);
  if (!parsed) throw new AppError("UNAUTHORIZED", "Malformed API key");
  const [row] = await withRls(null, (tx) =>
    queryRows<KeyRow>(tx, sql`select * from public.find_api_key(${parsed.prefix})`),
  );
  const hash = hashApiKey(token);
  if (!row || !hashesEqual(row.key, hash)) throw new AppError("UNAUTHORIZED", "Invalid API key");
  if (row.revoked)
    throw new AppError("UNAUTHORIZED", "This API key has been revoked", { apiKeyId: row.id });
  const expiresAt = toDate(row.expiresAt);
  if (expiresAt && expiresAt.getTime() <= Date.now()) {
    throw new AppError("UNAUTHORIZED", "This API key has expired", { apiKeyId: row.id });
  }
  if (row.ownerBanned)
    throw new AppError("FORBIDDEN", "The owner of this API key is suspended", { apiKeyId: row.id });
  touch(row.id, hash);
  return { keyId: row.id, userId: row.userId, scopes: row.scopes, rateLimit: row.rateLimit };
}
