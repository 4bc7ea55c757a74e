import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "./import-graph";

/**
 * Packages whose internals Parley relies on, with the file that relies on them. Each is pinned
 * to an exact version, and the installed one is that version: an upgrade is a deliberate
 * change, made together with the contract tests that check the reliance.
 */
const PINNED: Record<string, string> = {
  "drizzle-orm": "db/pipelined-transaction.ts",
  postgres: "db/pipelined-transaction.ts",
  "better-auth": "server/auth-session.ts",
  "better-call": "server/auth-session.ts",
  next: "server/main.ts",
  "@trpc/server": "server/trpc/init.ts",
  superjson: "lib/trpc/transformer.ts",
  "@trpc/client": "lib/trpc/react.tsx",
  "@trpc/tanstack-react-query": "lib/trpc/react.tsx",
  "@supabase/supabase-js": "lib/realtime/browser-client.ts",
  "rate-limiter-flexible": "server/limits/rate-limit.ts",
};

const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};
const declared = { ...manifest.dependencies, ...manifest.devDependencies };

function installed(name: string): string {
  const file = path.join(ROOT, "node_modules", name, "package.json");
  return (JSON.parse(fs.readFileSync(file, "utf8")) as { version: string }).version;
}

describe("packages whose internals Parley relies on", () => {
  it.each(Object.entries(PINNED))("%s is pinned, installed as pinned, and used", (name, user) => {
    expect(declared[name], `${name} in package.json`).toMatch(/^\d+\.\d+\.\d+$/);
    expect(installed(name)).toBe(declared[name]);
    expect(fs.readFileSync(path.join(ROOT, user), "utf8")).toContain(name.replace(/^@/, ""));
  });
});

/** `patches/<name>+<version>.patch`, applied by `patch-package` after every install. */
const PATCHES = fs
  .readdirSync(path.join(ROOT, "patches"))
  .filter((file) => file.endsWith(".patch"))
  .map((file) => {
    const match = /^(.+)\+(\d+\.\d+\.\d+)\.patch$/.exec(file);
    if (!match) throw new Error(`patches/${file}: expected <name>+<version>.patch`);
    return { file, name: match[1]!.replace(/\+/g, "/"), version: match[2]! };
  });

describe("patched packages", () => {
  it.each(PATCHES)(
    "$name is pinned to the version $file patches, and the patch is applied",
    (patch) => {
      expect(PINNED[patch.name], `${patch.name} is listed as relied on`).toBeDefined();
      expect(declared[patch.name]).toBe(patch.version);
      expect(installed(patch.name)).toBe(patch.version);
      // Every line the patch adds is in the installed file it names.
      const text = fs.readFileSync(path.join(ROOT, "patches", patch.file), "utf8");
      let target = "";
      for (const line of text.split("\n")) {
        const header = /^\+\+\+ b\/(.+)$/.exec(line);
        if (header) {
          target = fs.readFileSync(path.join(ROOT, header[1]!), "utf8");
          continue;
        }
        if (line.startsWith("+") && line.trim().length > 1) {
          expect(target, `${patch.file}: ${line}`).toContain(line.slice(1));
        }
      }
    },
  );
});
