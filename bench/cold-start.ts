import { spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { track } from "./lib/children";
import { ROOT, childEnvironment } from "./lib/config";
import type { Benchmark, BenchContext } from "./lib/context";
import { sleep } from "./lib/load";
import type { BenchResult } from "./lib/result";
import { round } from "./lib/stats";
import { freePort } from "./lib/server";

const TARGET_SECONDS = 20;
const DEADLINE_MS = 180_000;

/** Whether something accepts TCP connections on the port yet. */
function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

function stopGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}

/**
 * `npm run dev` on a brand-new DATA_DIR (embedded PGlite: migrate, seed the demo accounts,
 * compile on first request) until `/` first answers 200 (after its redirect to sign-in).
 */
async function run(ctx: BenchContext): Promise<BenchResult> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "parley-bench-cold-"));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const devCacheExisted = fs.existsSync(path.join(ROOT, ".next", "dev"));
  const started = performance.now();
  const child = track(
    spawn("npm", ["run", "dev"], {
      cwd: ROOT,
      detached: true,
      stdio: ["ignore", "ignore", "pipe"],
      env: childEnvironment({
        NODE_ENV: "development",
        DATA_DIR: dataDir,
        PORT: String(port),
        HOST: "127.0.0.1",
        APP_URL: url,
        LOG_LEVEL: "warn",
      }),
    }),
    { group: true },
  );
  let stderr = "";
  child.stderr?.on("data", (c: Buffer) => (stderr = (stderr + c.toString()).slice(-4000)));
  let listeningAt: number | undefined;
  let seconds: number | undefined;
  try {
    while (performance.now() - started < DEADLINE_MS) {
      if (child.exitCode !== null)
        throw new Error(`npm run dev exited (${child.exitCode}):\n${stderr}`);
      // Listening (database migrated and seeded, Next prepared) is one moment; the first page
      // compiled is the next.
      if (listeningAt === undefined) {
        if (!(await accepts(port))) {
          await sleep(100);
          continue;
        }
        listeningAt = performance.now();
      }
      try {
        const response = await fetch(`${url}/`, { signal: AbortSignal.timeout(DEADLINE_MS) });
        await response.arrayBuffer();
        if (response.status === 200) {
          seconds = (performance.now() - started) / 1000;
          break;
        }
      } catch {
        // not listening yet
      }
      await sleep(200);
    }
  } finally {
    if (child.pid !== undefined) {
      stopGroup(child.pid, "SIGTERM");
      const exited = await Promise.race([
        new Promise((r) => child.once("exit", () => r(true))),
        sleep(20_000).then(() => false),
      ]);
      if (!exited) stopGroup(child.pid, "SIGKILL");
    }
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
  if (seconds === undefined)
    throw new Error(`no 200 on / within ${DEADLINE_MS / 1000} s:\n${stderr}`);
  ctx.log(`first 200 on / after ${round(seconds, 1)} s`);
  return {
    name: "cold-start",
    metric: "npm run dev on a fresh DATA_DIR to the first 200 on /",
    value: round(seconds, 1),
    unit: "s",
    reference: { name: "the 20 s budget", value: TARGET_SECONDS },
    ratio: round(TARGET_SECONDS / seconds),
    target: "< 20 s",
    met: seconds < TARGET_SECONDS,
    details: {
      ratioIs: "the 20 s budget / measured seconds",
      listeningSeconds: listeningAt === undefined ? null : round((listeningAt - started) / 1000, 1),
      devCompileCacheExisted: devCacheExisted,
    },
  };
}

export const coldStart: Benchmark = { name: "cold-start", needsBuild: false, run };
