import type { NextConfig } from "next";
import { securityHeaders } from "./lib/security-headers";

const config: NextConfig = {
  // Loaded from node_modules at run time, not bundled: PGlite ships WASM and postgres.js/pino
  // use Node APIs, and route handlers must share the process-wide instances `server/main.ts`
  // created. Drizzle too: the database handle comes from `server/main.ts`'s copy, and Drizzle
  // recognises its own objects by `instanceof` — with a second, bundled copy every check
  // misses and falls back to walking prototype chains on every query.
  serverExternalPackages: ["@electric-sql/pglite", "postgres", "pino", "drizzle-orm"],
  poweredByHeader: false,
  reactStrictMode: true,
  headers() {
    return Promise.resolve([{ source: "/:path*", headers: [...securityHeaders] }]);
  },
};

export default config;
