import { betterAuth } from "better-auth";
import { drizzleAdapter } from "better-auth/adapters/drizzle";
import { admin } from "better-auth/plugins";
import { getDb, type Database } from "@/db/client";
import { account, session, user, verification } from "@/db/schema";
import { auditAuthActions } from "./auth-audit";
import { resolveAuthSecret } from "./auth-secret";
import { env } from "./env";

export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 128;

export function bannedMessage(u: { banReason?: string | null; banExpires?: Date | null }): string {
  const reason = u.banReason?.trim() ? u.banReason.trim() : "no reason was given";
  const until = u.banExpires ? ` until ${new Date(u.banExpires).toISOString().slice(0, 10)}` : "";
  return `Your account has been suspended${until}: ${reason}`;
}

interface AuthOptions {
  db: Database;
  secret: string;
  baseURL: string;
}

/** Better Auth on the owner connection: it manages its own tables, which RLS closes to requests. */
export function createAuth({ db, secret, baseURL }: AuthOptions) {
  return betterAuth({
    appName: "Parley",
    logger: { disabled: env.isTest },
    baseURL,
    secret,
    trustedOrigins: [baseURL],
    database: drizzleAdapter(db, {
      provider: "pg",
      schema: { user, session, account, verification },
    }),
    emailAndPassword: {
      enabled: true,
      minPasswordLength: PASSWORD_MIN_LENGTH,
      maxPasswordLength: PASSWORD_MAX_LENGTH,
      autoSignIn: true,
    },
    rateLimit: {
      // On in every mode, not only production: sign-in is where brute force happens.
      enabled: true,
      window: 60,
      max: 100,
      customRules: {
        "/sign-in/email": { window: 60, max: 10 },
        "/sign-up/email": { window: 60, max: 10 },
        "/forget-password": { window: 60, max: 3 },
        "/request-password-reset": { window: 60, max: 3 },
      },
    },
    hooks: { after: auditAuthActions },
    advanced: {
      database: { generateId: "uuid" },
      useSecureCookies: env.isProduction,
    },
    plugins: [
      admin({
        defaultRole: "user",
        adminRoles: ["admin"],
        bannedUserMessage: (u) => bannedMessage(u),
      }),
    ],
  });
}

export type Auth = ReturnType<typeof createAuth>;
export type AuthSession = NonNullable<Awaited<ReturnType<Auth["api"]["getSession"]>>>;

const AUTH = Symbol.for("parley.auth");
type GlobalWithAuth = typeof globalThis & { [AUTH]?: Auth };
const store = globalThis as GlobalWithAuth;

/** The process-wide Better Auth instance, created on first use (never at import or build). */
export function getAuth(): Auth {
  store[AUTH] ??= createAuth({ db: getDb(), secret: resolveAuthSecret(), baseURL: env.appUrl });
  return store[AUTH];
}
