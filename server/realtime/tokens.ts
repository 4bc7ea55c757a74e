import "server-only";

import { errors, jwtVerify, SignJWT } from "jose";
import { isUuid } from "@/contracts/uuid";
import { env } from "@/server/env";
import { projectJwtKey } from "@/server/project-jwt-key";

/**
 * Realtime JWTs, shaped like Supabase's: HS256, `role` and `exp` required, `sub` the user and
 * `session_id` the session the token was minted for (Supabase's name for it), `org` the
 * workspace that session was in (RLS reads it from the claims on hosted Supabase): a user's token
 * works only while that session lives (`session_is_live`, drizzle/0018). A token minted for an
 * API key (REST v1, `realtime:connect`) names the key in `api_key_id` instead, and works only
 * while the key is usable (`api_key_is_live`, drizzle/0052). Signed with the project key
 * (`server/project-jwt-key.ts`).
 */
export const ACCESS_TOKEN_TTL_SECONDS = 15 * 60;
const ANON_KEY_TTL_SECONDS = 10 * 365 * 24 * 3600;
const SERVICE_TOKEN_TTL_SECONDS = 3600;

export interface RealtimeClaims {
  role: "anon" | "authenticated" | "service_role";
  /** The user, for `authenticated` tokens. */
  sub: string | null;
  /** The session an `authenticated` token belongs to; null for one minted for an API key. */
  sessionId: string | null;
  /** The API key an `authenticated` token was minted for; null for one of a session. */
  apiKeyId: string | null;
  /** The workspace the session was in when the token was minted (`org`); null for none. */
  organizationId: string | null;
  exp: number;
}

export type TokenCheck = { ok: true; claims: RealtimeClaims } | { ok: false; reason: string };

let anonKey: string | undefined;

const nowSeconds = () => Math.floor(Date.now() / 1000);

async function sign(claims: Record<string, unknown>, ttlSeconds: number): Promise<string> {
  const iat = nowSeconds();
  return new SignJWT(claims)
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setIssuedAt(iat)
    .setExpirationTime(iat + ttlSeconds)
    .sign(projectJwtKey());
}

/** A short-lived token for one user's realtime connection, bound to their session. */
export async function mintAccessToken(
  userId: string,
  sessionId: string,
  organizationId: string | null,
  ttlSeconds = ACCESS_TOKEN_TTL_SECONDS,
): Promise<{ token: string; expiresAt: Date }> {
  const token = await sign(
    {
      sub: userId,
      session_id: sessionId,
      role: "authenticated",
      ...(organizationId ? { org: organizationId } : {}),
    },
    ttlSeconds,
  );
  return { token, expiresAt: new Date((nowSeconds() + ttlSeconds) * 1000) };
}

/**
 * A token for an API key's owner, in the key's workspace, bound to the key rather than a
 * session. It never outlives the key.
 */
export async function mintApiKeyAccessToken(key: {
  keyId: string;
  userId: string;
  organizationId: string | null;
  expiresAt: Date | null;
}): Promise<{ token: string; expiresAt: Date }> {
  const untilKeyExpires = key.expiresAt
    ? Math.floor((key.expiresAt.getTime() - Date.now()) / 1000)
    : Infinity;
  const ttlSeconds = Math.max(1, Math.min(ACCESS_TOKEN_TTL_SECONDS, untilKeyExpires));
  const token = await sign(
    {
      sub: key.userId,
      api_key_id: key.keyId,
      role: "authenticated",
      ...(key.organizationId ? { org: key.organizationId } : {}),
    },
    ttlSeconds,
  );
  return { token, expiresAt: new Date((nowSeconds() + ttlSeconds) * 1000) };
}

/** The key a browser connects with before it has a user token (Supabase's anon key). */
export async function realtimeAnonKey(): Promise<string> {
  if (env.supabase) return env.supabase.anonKey;
  anonKey ??= await sign({ role: "anon", iss: "parley" }, ANON_KEY_TTL_SECONDS);
  return anonKey;
}

/** The server's own token, for publishing over the broadcast HTTP API. */
export async function mintServiceToken(): Promise<string> {
  return sign({ role: "service_role" }, SERVICE_TOKEN_TTL_SECONDS);
}

/** Verifies a token the way Supabase Realtime does, with its error messages. */
export async function verifyRealtimeToken(token: string | undefined | null): Promise<TokenCheck> {
  if (!token) return { ok: false, reason: "No access token" };
  let payload: Record<string, unknown>;
  try {
    ({ payload } = await jwtVerify(token, projectJwtKey(), {
      algorithms: ["HS256", "HS384", "HS512"],
    }));
  } catch (error) {
    if (error instanceof errors.JWTExpired) {
      const exp = typeof error.payload.exp === "number" ? error.payload.exp : nowSeconds();
      return { ok: false, reason: `Token has expired ${nowSeconds() - exp} seconds ago` };
    }
    return { ok: false, reason: "Invalid token" };
  }
  const { role, exp, sub, session_id: sessionId, api_key_id: apiKeyId, org } = payload;
  if (typeof role !== "string" || typeof exp !== "number") {
    return { ok: false, reason: "Fields `role` and `exp` are required in JWT" };
  }
  if (role !== "anon" && role !== "authenticated" && role !== "service_role") {
    return { ok: false, reason: `Unknown role ${role}` };
  }
  if (role === "authenticated" && (typeof sub !== "string" || !isUuid(sub))) {
    return { ok: false, reason: "An authenticated token needs a user id in `sub`" };
  }
  if (role === "authenticated") {
    const session = typeof sessionId === "string" && isUuid(sessionId);
    const key = typeof apiKeyId === "string" && isUuid(apiKeyId);
    // Exactly one credential: a token naming both would outlive whichever ended first.
    const malformed = (sessionId !== undefined && !session) || (apiKeyId !== undefined && !key);
    if (session === key || malformed) {
      return {
        ok: false,
        reason:
          "An authenticated token needs its session in `session_id` or its key in `api_key_id`",
      };
    }
  }
  if (org !== undefined && (typeof org !== "string" || !isUuid(org))) {
    return { ok: false, reason: "A workspace in `org` is a UUID" };
  }
  const user = role === "authenticated";
  return {
    ok: true,
    claims: {
      role,
      exp,
      sub: user ? (sub as string) : null,
      sessionId: user && typeof sessionId === "string" ? sessionId : null,
      apiKeyId: user && typeof apiKeyId === "string" ? apiKeyId : null,
      organizationId: user && typeof org === "string" ? org : null,
    },
  };
}

/** Tokens that start `sb_` are Supabase publishable keys, not JWTs: they mean "no user". */
export const isPublishableKey = (token: string) => token.startsWith("sb_");
