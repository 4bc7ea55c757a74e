import "server-only";

import { createHmac, timingSafeEqual } from "node:crypto";
import { parseCookies } from "better-call";
import type { BetterAuthOptions } from "better-auth";
import { parseSessionOutput, parseUserOutput } from "better-auth/db";
import { eq, sql } from "drizzle-orm";
import { getDb, type Database } from "@/db/client";
import { session, user } from "@/db/schema";
import { getAuth, type Auth, type AuthSession } from "./auth";

/**
 * Relies on internals of better-auth (pinned in package.json): its session cookie's names and
 * signature (`<token>.<base64 HMAC-SHA256>`), `parseSessionOutput`/`parseUserOutput` and when
 * `getSession` extends a session. server/auth-session.test.ts compares every answer with
 * `api.getSession` on the default test database.
 *
 * The signed-in session of a request, read from the database on every call: a signed-out,
 * revoked or banned session is refused on the very next request, and a role change shows
 * at once. There is no cookie cache.
 *
 * Better Auth's `api.getSession` gives that answer too, but through its generic endpoint:
 * hooks, a WebCrypto key imported for every cookie, and a relational query that Drizzle
 * builds again for each call, a large share of the server's CPU per tRPC call. This
 * answers the common case itself: a correctly signed session cookie, a live session, not
 * yet due for its daily extension. That takes one HMAC and one prepared statement. A
 * cookie with a bad signature or no session behind it gets null, as from Better Auth. An
 * expired or due session goes to `api.getSession`, so Better Auth keeps its own rules: it
 * deletes an expired session and extends one once per `updateAge`, except for "don't
 * remember me" sessions. The tests compare the two answers field by field.
 */
export async function getRequestSession(
  headers: Headers,
  response?: ResponseCookies,
): Promise<AuthSession | null> {
  const auth = getAuth();
  const lookup = lookups.get(auth) ?? (await createLookup(auth));
  if (!lookup.fastPath) return betterAuthSession(auth, headers, response);

  const cookieHeader = headers.get("cookie");
  if (!cookieHeader) return null;
  const cookies = parseCookies(cookieHeader);
  const token = lookup.verify(cookies.get(lookup.tokenCookie));
  if (!token) return null;

  const [row] = await lookup.byToken(getDb()).execute({ token });
  if (!row) return null;
  const now = Date.now();
  const expiresAt = row.session.expiresAt.getTime();
  const rememberMe = !lookup.verify(cookies.get(lookup.dontRememberCookie));
  const dueForExtension = expiresAt - lookup.expiresInMs + lookup.updateAgeMs <= now;
  if (expiresAt <= now || (rememberMe && dueForExtension)) {
    return betterAuthSession(auth, headers, response);
  }
  // parseSessionOutput and parseUserOutput drop the fields Better Auth never returns, so
  // the answer has exactly the shape of `api.getSession`'s.
  return {
    session: parseSessionOutput(lookup.options, row.session),
    user: parseUserOutput(lookup.options, row.user),
  };
}

/** Where a response that can still set cookies takes them (`Set-Cookie` header values). */
export interface ResponseCookies {
  setCookie(header: string): void;
}

/**
 * Better Auth's own answer. When it extends a session it also renews the cookie's
 * `Max-Age`: that goes to the response when there is one that can carry it. Without it
 * the browser would drop a session cookie at the end of its first term however often the
 * session was extended. Where there is no such response, the session is not extended.
 *
 * The cookie Better Auth clears for a session it did not find or found expired is not
 * passed on. The request may carry a cookie the browser has replaced since (a new sign-in,
 * the start or end of an impersonation), and clearing would sign the newer session out.
 */
async function betterAuthSession(
  auth: Auth,
  headers: Headers,
  response: ResponseCookies | undefined,
): Promise<AuthSession | null> {
  // Nowhere to send a renewed cookie (a server component, an upload): leave the extension
  // to the next call that can renew the cookie with it, so the two never drift apart.
  if (!response) return auth.api.getSession({ headers, query: { disableRefresh: true } });
  const answer = await auth.api.getSession({ headers, returnHeaders: true });
  if (answer.response) {
    for (const cookie of answer.headers.getSetCookie()) response.setCookie(cookie);
  }
  return answer.response;
}

interface Lookup {
  /** False when the configuration has something this path does not handle. */
  fastPath: boolean;
  tokenCookie: string;
  dontRememberCookie: string;
  expiresInMs: number;
  updateAgeMs: number;
  options: BetterAuthOptions;
  /** The value of a signed cookie when its signature is Better Auth's, else null. */
  verify(cookie: string | undefined): string | null;
  byToken(db: Database): ReturnType<typeof prepareSessionByToken>;
}

const lookups = new WeakMap<Auth, Lookup>();

async function createLookup(auth: Auth): Promise<Lookup> {
  const context = await auth.$context;
  const { authCookies, sessionConfig, secret } = context;
  const options: BetterAuthOptions = context.options;
  const prepared = new WeakMap<Database, ReturnType<typeof prepareSessionByToken>>();
  const lookup: Lookup = {
    // A cookie cache, secondary storage or deferred refresh each change what a lookup
    // reads or writes: leave those to Better Auth whole.
    fastPath:
      options.session?.cookieCache?.enabled !== true &&
      !options.secondaryStorage &&
      !options.session?.deferSessionRefresh,
    tokenCookie: authCookies.sessionToken.name,
    dontRememberCookie: authCookies.dontRememberToken.name,
    expiresInMs: sessionConfig.expiresIn * 1000,
    updateAgeMs: sessionConfig.updateAge * 1000,
    options,
    verify: (cookie) => verifySignedCookie(cookie, secret),
    byToken: (db) => {
      let query = prepared.get(db);
      if (!query) {
        query = prepareSessionByToken(db);
        prepared.set(db, query);
      }
      return query;
    },
  };
  lookups.set(auth, lookup);
  return lookup;
}

/** The session and its user in one statement, its SQL built once per database. */
function prepareSessionByToken(db: Database) {
  return db
    .select({ session, user })
    .from(session)
    .innerJoin(user, eq(user.id, session.userId))
    .where(eq(session.token, sql.placeholder("token")))
    .limit(1)
    .prepare("parley_session_by_token");
}

/**
 * Better Auth's signed cookie, `<value>.<base64 HMAC-SHA256 of value>` (better-call's
 * signCookieValue), checked with node:crypto in constant time.
 */
function verifySignedCookie(cookie: string | undefined, secret: string): string | null {
  if (!cookie) return null;
  const dot = cookie.lastIndexOf(".");
  if (dot < 1) return null;
  const value = cookie.slice(0, dot);
  const signature = Buffer.from(cookie.slice(dot + 1));
  const expected = Buffer.from(createHmac("sha256", secret).update(value).digest("base64"));
  return signature.length === expected.length && timingSafeEqual(signature, expected)
    ? value
    : null;
}
