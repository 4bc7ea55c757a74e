import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import {
  findForbiddenChain,
  importsOf,
  resolveImport,
  ROOT,
  sourceFiles,
  valueImports,
} from "./import-graph";

/**
 * Parley's layers (docs/ARCHITECTURE.md). Imports point one way — the HTTP layer to routers,
 * routers to services, services to the database — and every folder's place is below.
 * Type-only imports count: a type cycle is still a cycle a reader has to untangle.
 */
type Layer =
  | "entry"
  | "app"
  | "http"
  | "rsc"
  | "routers"
  | "services"
  | "server"
  | "db"
  | "contracts"
  | "lib"
  | "components";

const PRODUCT_DIRS = ["app", "components", "lib", "contracts", "db", "server"];

function layerOf(file: string): Layer {
  const rel = path.relative(ROOT, file);
  if (rel === "server/main.ts") return "entry";
  if (rel.startsWith("server/http/")) return "http";
  if (rel.startsWith("server/rsc/")) return "rsc";
  if (rel.startsWith("server/trpc/") || rel.startsWith("server/routers/")) return "routers";
  if (rel.startsWith("server/services/")) return "services";
  if (rel.startsWith("server/")) return "server";
  const top = rel.split("/")[0];
  if (top === "app" || top === "db" || top === "contracts" || top === "lib") return top;
  if (top === "components") return "components";
  throw new Error(`${rel} is in no layer`);
}

/**
 * What each layer may import. `rsc` is what server components call (the session, the tRPC
 * caller), beside `http`; `server` is the support around the layers: auth, env, realtime…
 */
const MAY_IMPORT: Record<Layer, readonly Layer[]> = {
  entry: ["entry", "http", "routers", "services", "server", "db", "contracts", "lib"],
  app: ["app", "rsc", "http", "services", "server", "contracts", "lib", "components"],
  http: ["http", "routers", "services", "server", "db", "contracts", "lib"],
  rsc: ["rsc", "routers", "services", "server", "db", "contracts", "lib"],
  routers: ["routers", "services", "server", "db", "contracts", "lib"],
  services: ["services", "server", "db", "contracts", "lib"],
  server: ["services", "server", "db", "contracts", "lib"],
  db: ["db", "contracts"],
  contracts: ["contracts", "lib"],
  lib: ["lib", "contracts"],
  components: ["components", "lib", "contracts"],
};

/**
 * The browser side may know the shape of the tRPC router — a type, no code — and nothing
 * else of the server.
 */
const TYPES_THE_BROWSER_MAY_SEE = new Set([path.join(ROOT, "server/trpc/root.ts")]);

const productFiles = PRODUCT_DIRS.flatMap((dir) => sourceFiles(path.join(ROOT, dir)));
const rel = (file: string) => path.relative(ROOT, file);

interface Edge {
  from: string;
  to: string;
  typeOnly: boolean;
}

const edges: Edge[] = productFiles.flatMap((from) =>
  importsOf(from)
    .map(({ specifier, typeOnly }) => ({ from, to: resolveImport(specifier, from), typeOnly }))
    .filter((edge) => path.isAbsolute(edge.to)),
);

function layerViolations(all: readonly Edge[]): string[] {
  return all
    .filter(({ from, to, typeOnly }) => {
      if (!productFiles.includes(to) && !to.endsWith(".json") && !to.endsWith(".css")) {
        return !to.startsWith(path.join(ROOT, "node_modules"));
      }
      if (!productFiles.includes(to)) return false;
      const [a, b] = [layerOf(from), layerOf(to)];
      if (MAY_IMPORT[a].includes(b)) return false;
      return !(
        typeOnly &&
        (a === "lib" || a === "components") &&
        TYPES_THE_BROWSER_MAY_SEE.has(to)
      );
    })
    .map(({ from, to, typeOnly }) => `${rel(from)} → ${rel(to)}${typeOnly ? " (type)" : ""}`);
}

/** Strongly connected components of more than one file (Tarjan), each as a sorted list. */
function cycles(all: readonly Edge[]): string[][] {
  const next = new Map<string, string[]>();
  for (const { from, to } of all) next.set(from, [...(next.get(from) ?? []), to]);
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  let counter = 0;
  const visit = (v: string) => {
    index.set(v, counter);
    low.set(v, counter);
    counter++;
    stack.push(v);
    onStack.add(v);
    for (const w of next.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v)!, index.get(w)!));
      }
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(rel(w));
      } while (w !== v);
      if (component.length > 1 || next.get(v)?.includes(v)) found.push(component.sort());
    }
  };
  for (const file of next.keys()) if (!index.has(file)) visit(file);
  return found;
}

describe("layers", () => {
  it("finds the code to check in every layer", () => {
    const layers = new Set(productFiles.map(layerOf));
    expect([...layers].sort()).toEqual(Object.keys(MAY_IMPORT).sort());
    expect(edges.length).toBeGreaterThan(500);
  });

  it("imports point one way: http → routers → services → db, and the browser side never reaches the server", () => {
    expect(layerViolations(edges)).toEqual([]);
  });

  it("has no import cycles, type-only imports included", () => {
    expect(cycles(edges)).toEqual([]);
  });

  it("has no HTTP handlers outside server/http: no route handlers under app/", () => {
    const handlers = sourceFiles(path.join(ROOT, "app")).filter((f) =>
      /^route\.tsx?$/.test(path.basename(f)),
    );
    expect(handlers.map(rel)).toEqual([]);
  });

  it("marks every server module server-only, so a client component importing one fails the build", () => {
    const serverModules = productFiles.filter((file) => {
      const name = rel(file);
      return (
        name.startsWith("server/") || (name.startsWith("db/") && !name.startsWith("db/schema/"))
      );
    });
    expect(serverModules.length).toBeGreaterThan(100);
    const unmarked = serverModules.filter(
      (file) => !importsOf(file).some((edge) => edge.specifier === "server-only"),
    );
    expect(unmarked.map(rel)).toEqual([]);
  });

  it("catches what it is meant to catch", () => {
    const at = (file: string) => path.join(ROOT, file);
    const violations = layerViolations([
      { from: at("db/rls.ts"), to: at("server/env.ts"), typeOnly: false },
      { from: at("server/services/metas.ts"), to: at("server/routers/metas.ts"), typeOnly: true },
      { from: at("components/chat/info-panel.tsx"), to: at("server/auth.ts"), typeOnly: true },
      { from: at("lib/trpc/react.tsx"), to: at("server/trpc/root.ts"), typeOnly: false },
      // Allowed: the router's type in the browser, a service from a router.
      { from: at("lib/trpc/react.tsx"), to: at("server/trpc/root.ts"), typeOnly: true },
      { from: at("server/routers/metas.ts"), to: at("server/services/metas.ts"), typeOnly: false },
    ]);
    expect(violations).toEqual([
      "db/rls.ts → server/env.ts",
      "server/services/metas.ts → server/routers/metas.ts (type)",
      "components/chat/info-panel.tsx → server/auth.ts (type)",
      "lib/trpc/react.tsx → server/trpc/root.ts",
    ]);
    const a = at("lib/a.ts");
    const b = at("lib/b.ts");
    const c = at("lib/c.ts");
    expect(
      cycles([
        { from: a, to: b, typeOnly: false },
        { from: b, to: a, typeOnly: true },
        { from: b, to: c, typeOnly: false },
      ]),
    ).toEqual([["lib/a.ts", "lib/b.ts"]]);
  });
});

/**
 * Request code reaches the database only through `withRls` (db/rls.ts); Better Auth
 * (server/auth.ts) and the session check (server/auth-session.ts) keep to the owner connection
 * for the tables RLS closes to requests. Nothing under server/http, server/routers or
 * server/services may reach the owner connection any other way.
 */
const REQUEST_CODE = ["server/http", "server/routers", "server/services"];
const GATEWAYS = new Set(
  ["db/rls.ts", "server/auth.ts", "server/auth-session.ts"].map((f) => path.join(ROOT, f)),
);
const OWNER_MODULES = new Set(
  ["db/client.ts", "db/migrate.ts", "server/database.ts", "server/seed/demo-data.ts"].map((f) =>
    path.join(ROOT, f),
  ),
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
    expect(files.length).toBeGreaterThan(30);
  });

  it.each(files.map((f) => [rel(f), f]))("%s never reaches the owner connection", (_name, file) => {
    expect(findForbiddenChain(file, isOwnerConnection, GATEWAYS)).toBeNull();
  });

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

describe("the import reader", () => {
  it("reads type-only imports as such, and import() types", () => {
    const dir = fs.mkdtempSync(path.join(ROOT, "test/.import-graph-"));
    try {
      const file = path.join(dir, "sample.ts");
      fs.writeFileSync(
        file,
        [
          'import "server-only";',
          'import type { A } from "./a";',
          'import { type B } from "./b";',
          'import { c, type C } from "./c";',
          'export type { D } from "./d";',
          'export * from "./e";',
          'type F = import("./f").F;',
          'const g = () => import("./g");',
        ].join("\n"),
      );
      expect(importsOf(file)).toEqual([
        { specifier: "server-only", typeOnly: false },
        { specifier: "./a", typeOnly: true },
        { specifier: "./b", typeOnly: true },
        { specifier: "./c", typeOnly: false },
        { specifier: "./d", typeOnly: true },
        { specifier: "./e", typeOnly: false },
        { specifier: "./f", typeOnly: true },
        { specifier: "./g", typeOnly: false },
      ]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
