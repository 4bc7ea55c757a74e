import "server-only";

import { and, desc, eq, gt, ilike, isNull, lte, or, sql, type SQL } from "drizzle-orm";
import { queryRows } from "@/db/rows";
import { apiKeys, user } from "@/db/schema";
import type { Tx } from "@/db/types";
import { generateApiKey } from "@/server/services/api-key-format";
import type { ApiKey, CreateApiKeyInput } from "@/contracts/api-keys";
import { env } from "@/server/env";
import { AppError } from "@/server/errors";
import { containsPattern } from "./like-pattern";
import { afterTimeCursor, cursorTime, encodeTimeCursor } from "./time-cursor";

const keyColumns = {
  id: apiKeys.id,
  name: apiKeys.name,
  prefix: apiKeys.prefix,
  scopes: apiKeys.scopes,
  rateLimit: apiKeys.rateLimit,
  lastUsed: apiKeys.lastUsed,
  expiresAt: apiKeys.expiresAt,
  revoked: apiKeys.revoked,
  revokedAt: apiKeys.revokedAt,
  createdAt: apiKeys.createdAt,
  // The workspace the key works in, while its owner can see it (a member of it).
  workspaceName: sql<
    string | null
  >`(select o.name from public.organization o where o.id = ${apiKeys.organizationId})`,
};

export async function listApiKeys(tx: Tx, params: { userId: string }): Promise<ApiKey[]> {
  return tx
    .select(keyColumns)
    .from(apiKeys)
    .where(eq(apiKeys.userId, params.userId))
    .orderBy(desc(apiKeys.createdAt), desc(apiKeys.id));
}

/** Creates a key; the secret is returned this once and only its SHA-256 is stored. */
export async function createApiKey(
  tx: Tx,
  params: { userId: string } & CreateApiKeyInput,
): Promise<{ apiKey: ApiKey; secret: string }> {
  if (params.rateLimit !== undefined && params.rateLimit > env.API_RATE_LIMIT) {
    throw new AppError(
      "BAD_REQUEST",
      `rateLimit may be at most ${env.API_RATE_LIMIT} requests a minute`,
      {
        issues: [{ path: ["rateLimit"], message: `At most ${env.API_RATE_LIMIT}` }],
      },
    );
  }
  const generated = generateApiKey();
  const [apiKey] = await tx
    .insert(apiKeys)
    .values({
      userId: params.userId,
      name: params.name,
      key: generated.hash,
      prefix: generated.prefix,
      scopes: params.scopes,
      rateLimit: params.rateLimit ?? null,
      expiresAt:
        params.expiresAt ??
        (params.expiresInDays ? new Date(Date.now() + params.expiresInDays * 86_400_000) : null),
    })
    .returning(keyColumns);
  if (!apiKey) throw new AppError("INTERNAL_SERVER_ERROR", "Key was not created");
  return { apiKey, secret: generated.key };
}

async function loadKey(tx: Tx, params: { id: string; ownerId?: string }) {
  const [key] = await tx
    .select({ ...keyColumns, userId: apiKeys.userId })
    .from(apiKeys)
    .where(
      params.ownerId
        ? and(eq(apiKeys.id, params.id), eq(apiKeys.userId, params.ownerId))
        : eq(apiKeys.id, params.id),
    );
  if (!key) throw new AppError("NOT_FOUND", "API key not found");
  return key;
}

/** Revokes a key (the owner's own, or any key for a site admin: RLS decides). */
export async function revokeApiKey(
  tx: Tx,
  params: { id: string; ownerId?: string },
): Promise<ApiKey & { userId: string }> {
  const key = await loadKey(tx, params);
  if (key.revoked) return key;
  const [updated] = await tx
    .update(apiKeys)
    .set({ revoked: true, revokedAt: new Date() })
    .where(eq(apiKeys.id, key.id))
    .returning({ ...keyColumns, userId: apiKeys.userId });
  if (!updated) throw new AppError("NOT_FOUND", "API key not found");
  return updated;
}

/**
 * A new key with the same name, scopes and limit; the old one keeps working for
 * `graceHours` (0: revoked now), so clients can switch without downtime.
 */
export async function rotateApiKey(
  tx: Tx,
  params: { userId: string; id: string; graceHours: number },
): Promise<{ apiKey: ApiKey; secret: string; previous: ApiKey }> {
  const old = await loadKey(tx, { id: params.id, ownerId: params.userId });
  const now = Date.now();
  if (old.revoked || (old.expiresAt && old.expiresAt.getTime() <= now)) {
    throw new AppError("BAD_REQUEST", "A revoked or expired key cannot be rotated");
  }
  const created = await createApiKey(tx, {
    userId: params.userId,
    name: old.name,
    scopes: old.scopes as CreateApiKeyInput["scopes"],
    rateLimit: old.rateLimit ?? undefined,
    // The new key ends when the old one would have: rotating does not extend a key's life.
    expiresAt: old.expiresAt ?? undefined,
  });
  const graceEnd = new Date(now + params.graceHours * 3_600_000);
  const [previous] = await tx
    .update(apiKeys)
    .set(
      params.graceHours === 0
        ? { revoked: true, revokedAt: new Date(now) }
        : { expiresAt: old.expiresAt && old.expiresAt < graceEnd ? old.expiresAt : graceEnd },
    )
    .where(eq(apiKeys.id, old.id))
    .returning(keyColumns);
  if (!previous) throw new AppError("NOT_FOUND", "API key not found");
  return { ...created, previous };
}

/** Requests per day, status classes and latency percentiles of the caller's keys. */
export async function apiKeyUsage(
  tx: Tx,
  params: { userId: string; id?: string; from: Date; to: Date },
) {
  if (params.id) await loadKey(tx, { id: params.id, ownerId: params.userId });
  const keyFilter = params.id
    ? sql`and l."apiKeyId" = ${params.id}::uuid`
    : sql`and l."apiKeyId" is not null`;
  type Row = {
    day: string | null;
    requests: number;
    success: number;
    clientErrors: number;
    serverErrors: number;
    p50: number | null;
    p95: number | null;
  };
  const rows = await queryRows<Row>(
    tx,
    sql`select to_char(date_trunc('day', l."createdAt" at time zone 'UTC'), 'YYYY-MM-DD') as day,
          count(*)::int as requests,
          (count(*) filter (where l."statusCode" < 400))::int as success,
          (count(*) filter (where l."statusCode" between 400 and 499))::int as "clientErrors",
          (count(*) filter (where l."statusCode" >= 500))::int as "serverErrors",
          (percentile_cont(0.5) within group (order by l."responseTime"))::float8 as p50,
          (percentile_cont(0.95) within group (order by l."responseTime"))::float8 as p95
        from public.api_audit_logs l
        where l."userId" = ${params.userId}::uuid and l.method <> 'TRPC'
          and l."createdAt" >= ${params.from.toISOString()}::timestamptz
          and l."createdAt" <= ${params.to.toISOString()}::timestamptz
          ${keyFilter}
        group by grouping sets ((date_trunc('day', l."createdAt" at time zone 'UTC')), ())
        order by day nulls last`,
  );
  const totals = rows.find((r) => r.day === null);
  return {
    days: rows.filter((r): r is Row & { day: string } => r.day !== null),
    totals: totals ?? {
      requests: 0,
      success: 0,
      clientErrors: 0,
      serverErrors: 0,
      p50: null,
      p95: null,
    },
  };
}

/** A key by its name or prefix (with or without `prl_`), or by its owner's name or email. */
function keySearch(search: string): SQL | undefined {
  const pattern = containsPattern(search);
  return or(
    ilike(apiKeys.name, pattern),
    eq(apiKeys.prefix, search.replace(/^prl_/, "").replace(/[_…]+$/, "")),
    ilike(user.name, pattern),
    sql`public.user_email(${apiKeys.userId}) ilike ${pattern}`,
  );
}

export type AdminKeyStatus = "active" | "revoked" | "expired";

/** Every key (site admins; RLS shows others nothing), newest first, with its owner. */
export async function adminListApiKeys(
  tx: Tx,
  params: {
    userId?: string;
    status?: AdminKeyStatus;
    search?: string;
    cursor?: string;
    limit: number;
  },
) {
  const now = new Date();
  const statusFilter =
    params.status === "revoked"
      ? eq(apiKeys.revoked, true)
      : params.status === "expired"
        ? and(eq(apiKeys.revoked, false), lte(apiKeys.expiresAt, now))
        : params.status === "active"
          ? and(
              eq(apiKeys.revoked, false),
              or(isNull(apiKeys.expiresAt), gt(apiKeys.expiresAt, now)),
            )
          : undefined;
  const rows = await tx
    .select({
      ...keyColumns,
      userId: apiKeys.userId,
      ownerName: user.name,
      ownerEmail: sql<string | null>`public.user_email(${apiKeys.userId})`,
      cursorAt: cursorTime(apiKeys.createdAt),
    })
    .from(apiKeys)
    .leftJoin(user, eq(user.id, apiKeys.userId))
    .where(
      and(
        params.userId ? eq(apiKeys.userId, params.userId) : undefined,
        statusFilter,
        params.search ? keySearch(params.search) : undefined,
        afterTimeCursor({ at: apiKeys.createdAt, id: apiKeys.id }, params.cursor),
      ),
    )
    .orderBy(desc(apiKeys.createdAt), desc(apiKeys.id))
    .limit(params.limit + 1);
  const page = rows.slice(0, params.limit);
  const last = page.at(-1);
  return {
    items: page.map(({ cursorAt: _cursorAt, ...key }) => key),
    nextCursor:
      rows.length > params.limit && last ? encodeTimeCursor(last.cursorAt, last.id) : null,
  };
}
