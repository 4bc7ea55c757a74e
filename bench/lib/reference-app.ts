import { spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { track } from "./children";
import { ROOT, childEnvironment } from "./config";
import { sleep } from "./load";
import { freePort } from "./server";

const SOURCE = path.join(ROOT, "bench", "reference-app");

function sourceFiles(): string[] {
  return fs
    .readdirSync(SOURCE, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => path.relative(SOURCE, path.join(d.parentPath, d.name)))
    .sort();
}

/**
 * The reference app lives outside the repository while it is built and served, so its build
 * output never mixes with Parley's: a copy in the temp directory (keyed by its sources and the
 * Next version, reused across runs) with node_modules linked to the project's.
 */
function prepare(): string {
  const files = sourceFiles();
  const hash = createHash("sha256");
  hash.update(fs.readFileSync(path.join(ROOT, "node_modules/next/package.json")));
  for (const f of files) hash.update(f).update(fs.readFileSync(path.join(SOURCE, f)));
  const dir = path.join(os.tmpdir(), `parley-bench-reference-${hash.digest("hex").slice(0, 12)}`);
  if (fs.existsSync(path.join(dir, ".next", "BUILD_ID"))) return dir;

  fs.rmSync(dir, { recursive: true, force: true });
  for (const f of files) {
    fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    fs.copyFileSync(path.join(SOURCE, f), path.join(dir, f));
  }
  fs.writeFileSync(path.join(dir, "package.json"), '{ "private": true, "type": "module" }\n');
  fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(dir, "node_modules"));
  // Webpack follows the node_modules link to the project; Turbopack refuses links that leave
  // the app's directory.
  const result = spawnSync(
    process.execPath,
    [path.join(ROOT, "node_modules/next/dist/bin/next"), "build", "--webpack"],
    { cwd: dir, stdio: "inherit", env: childEnvironment({ NODE_ENV: "production" }) },
  );
  if (result.status !== 0) throw new Error(`building the reference app failed (${result.status})`);
  return dir;
}

export interface ReferenceApp {
  url: string;
  stop(): Promise<void>;
}

/** Builds (once) and serves the bare route, answering with the contents of `bodyFile`. */
export async function startReferenceApp(bodyFile: string): Promise<ReferenceApp> {
  const dir = prepare();
  const port = await freePort();
  const child = track(
    spawn(process.execPath, ["serve.mjs", String(port)], {
      cwd: dir,
      stdio: ["ignore", "pipe", "inherit"],
      env: childEnvironment({ NODE_ENV: "production", REFERENCE_BODY_FILE: bodyFile }),
    }),
  );
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("the reference app did not start")), 60_000);
    child.stdout?.on("data", (chunk: Buffer) => {
      if (chunk.toString().includes("ready")) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`the reference app exited (${code})`));
    });
  });
  return {
    url: `http://127.0.0.1:${port}`,
    stop: async () => {
      if (child.exitCode !== null) return;
      child.kill("SIGTERM");
      await Promise.race([new Promise((r) => child.once("exit", r)), sleep(10_000)]);
      if (child.exitCode === null) child.kill("SIGKILL");
    },
  };
}
