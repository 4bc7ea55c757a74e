import type { NextConfig } from "next";

/**
 * In development Next serves its own resources (the client bundle, HMR) only to origins it
 * knows, so a page opened at any other origin never hydrates. The origin APP_URL names is
 * Parley's own: a LAN address to try it from a phone, or 127.0.0.1.
 */
function appUrlHost(): string[] {
  // next.config is read before server/env.ts can be (that module is server-only).
  // eslint-disable-next-line no-restricted-properties
  const appUrl = process.env.APP_URL?.trim();
  if (!appUrl) return [];
  try {
    return [new URL(appUrl).hostname];
  } catch {
    return [];
  }
}

const config: NextConfig = {
  allowedDevOrigins: appUrlHost(),
  // Server components use the database handle `server/main.ts` opened (db/client.ts says why),
  // so the packages behind it load from node_modules, not from Next's bundle: PGlite ships
  // WASM, and Drizzle recognises its own objects by `instanceof` — with a bundled second copy
  // every check would miss and fall back to walking prototype chains on every query.
  // postgres.js goes with them so that one copy of the driver code is in the process. (pino is
  // on Next's own list.)
  serverExternalPackages: ["@electric-sql/pglite", "drizzle-orm", "postgres"],
  poweredByHeader: false,
  reactStrictMode: true,
  // Security headers, the Content-Security-Policy and its nonce are set by Parley's HTTP
  // layer (server/http/security-headers.ts) on every response, Next's own included.
};

export default config;
