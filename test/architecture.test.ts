import path from "node:path";
import { describe, expect, it } from "vitest";
import { findForbiddenChain, ROOT, sourceFiles, valueImports } from "./import-graph";

/**
 * Request code reaches the database only through `withRls` (db/rls.ts), and Better Auth
 * (server/auth.ts) keeps its own owner connection. Nothing under server/routers,
 * server/services or app/api/v1 may reach the owner connection any other way.
 */
const REQUEST_CODE = ["server/routers", "server/services", "app/api/v1"];
const GATEWAYS = new Set([path.join(ROOT, "db/rls.ts"), path.join(ROOT, "server/auth.ts")]);
const OWNER_MODULES = new Set(
  ["db/client.ts", "db/migrate.ts", "db/seed.ts"].map((f) => path.join(ROOT, f)),
);
const DRIVER_PACKAGES = [
  "postgres",
  "@electric-sql/pglite",
  "drizzle-orm/pglite",
  "drizzle-orm/postgres-js",
];

const isOwnerConnection = (target: string) =>
  OWNER_MODULES.has(target) ||
  DRIVER_PACKAGES.some((pkg) => target === pkg || target.startsWith(`${pkg}/`));

describe("request code and the owner connection", () => {
  const files = REQUEST_CODE.flatMap((dir) => sourceFiles(path.join(ROOT, dir)));

  it("finds the request code to check", () => {
    expect(files.length).toBeGreaterThan(3);
  });

  it.each(files.map((f) => [path.relative(ROOT, f), f]))(
    "%s never reaches the owner connection",
    (_name, file) => {
      expect(findForbiddenChain(file, isOwnerConnection, GATEWAYS)).toBeNull();
    },
  );

  it("detects a chain when there is one", () => {
    // The Node entry legitimately opens the owner connection: the checker must see it.
    const chain = findForbiddenChain(
      path.join(ROOT, "server/main.ts"),
      isOwnerConnection,
      GATEWAYS,
    );
    expect(chain).toEqual(["server/main.ts", "db/client.ts"]);
  });

  it("ignores type-only imports and follows value ones", () => {
    const imports = valueImports(path.join(ROOT, "server/services/metas.ts"));
    expect(imports).not.toContain("@/db/types");
    expect(imports).toContain("@/server/errors");
  });
});
