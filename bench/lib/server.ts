import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { BENCH_CPU_PROF, ROOT, childEnvironment } from "./config";
import { track } from "./children";
import { sleep } from "./load";

const SOURCE_ENTRIES = [
  "app",
  "components",
  "lib",
  "server",
  "db",
  "next.config.ts",
  "package.json",
  "postcss.config.mjs",
  "tsconfig.json",
];

function newestSourceMtime(entry: string): number {
  const full = path.join(ROOT, entry);
  if (!fs.existsSync(full)) return 0;
  const stat = fs.statSync(full);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = 0;
  for (const item of fs.readdirSync(full, { withFileTypes: true, recursive: true })) {
    if (!item.isFile() || /\.test\.tsx?$/.test(item.name)) continue;
    newest = Math.max(newest, fs.statSync(path.join(item.parentPath, item.name)).mtimeMs);
  }
  return newest;
}

/** Whether `.next` holds a production build at least as new as every source file. */
export function buildIsCurrent(): boolean {
  const buildId = path.join(ROOT, ".next", "BUILD_ID");
  if (!fs.existsSync(buildId)) return false;
  const built = fs.statSync(buildId).mtimeMs;
  return SOURCE_ENTRIES.every((entry) => newestSourceMtime(entry) <= built);
}

/** `next build`, as a deployment would run it. */
export function buildApp(): void {
  const result = spawnSync(path.join(ROOT, "node_modules/.bin/next"), ["build"], {
    cwd: ROOT,
    stdio: "inherit",
    env: childEnvironment({ NODE_ENV: "production" }),
  });
  if (result.status !== 0) throw new Error(`next build failed (exit ${result.status})`);
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

export interface RunningServer {
  url: string;
  pid: number;
  /** The secret the server signs sessions and realtime tokens with. */
  authSecret: string;
  /** Resident memory of the server process, in bytes. */
  rss(): number;
  /** The V8 inspector's port, when started with `inspect`. */
  inspectPort: number | undefined;
  stop(): Promise<void>;
}

export function rssOf(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = Number(/VmRSS:\s+(\d+)\s+kB/.exec(status)?.[1]);
  if (!Number.isFinite(kb)) throw new Error(`no VmRSS for process ${pid}`);
  return kb * 1024;
}

async function waitForExit(child: ChildProcess, ms: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return true;
  return Promise.race([
    new Promise<boolean>((resolve) => child.once("exit", () => resolve(true))),
    sleep(ms).then(() => false),
  ]);
}

/**
 * Parley's production server (`server/main.ts`, NODE_ENV=production) on a free port against
 * the benchmark database, as one Node process so its memory and CPU profile are its own.
 */
export async function startServer(
  databaseUrl: string,
  options: { productionLimits?: boolean; inspect?: boolean; env?: Record<string, string> } = {},
): Promise<RunningServer> {
  const port = await freePort();
  const inspectPort = options.inspect ? await freePort() : undefined;
  const inspect = inspectPort ? [`--inspect=127.0.0.1:${inspectPort}`] : [];
  const url = `http://127.0.0.1:${port}`;
  const authSecret = randomBytes(32).toString("hex");
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "parley-bench-data-"));
  const profile = BENCH_CPU_PROF ? ["--cpu-prof", "--cpu-prof-dir", BENCH_CPU_PROF] : [];
  const child = track(
    spawn(process.execPath, [...profile, ...inspect, "--import", "tsx", "server/main.ts"], {
      cwd: ROOT,
      stdio: ["ignore", "inherit", "pipe"],
      env: childEnvironment({
        NODE_ENV: "production",
        DATABASE_URL: databaseUrl,
        PORT: String(port),
        HOST: "127.0.0.1",
        APP_URL: url,
        BETTER_AUTH_SECRET: authSecret,
        DATA_DIR: dataDir,
        LOG_LEVEL: "warn",
        SMTP_URL: "",
        // Every benchmark client signs in and calls from 127.0.0.1, far above a person's pace.
        AUTH_ATTEMPT_LIMIT: "100000",
        // The abuse benchmark measures the limits as shipped; the others measure the work.
        ...(options.productionLimits
          ? {}
          : {
              API_RATE_LIMIT: "100000",
              RATE_LIMIT_CALLS: "100000",
              RATE_LIMIT_CALLS_PER_ADDRESS: "100000",
              RATE_LIMIT_MUTATIONS: "100000",
              RATE_LIMIT_MESSAGES: "100000",
              RATE_LIMIT_REACTIONS: "100000",
              RATE_LIMIT_UPLOADS: "100000",
              RATE_LIMIT_API_KEYS: "100000",
              REALTIME_CONNECTS_PER_MINUTE: "1000000",
              REALTIME_SOCKETS_PER_USER: "100000",
              REALTIME_SOCKETS_PER_ADDRESS: "1000000",
              REALTIME_ANONYMOUS_SOCKETS_PER_ADDRESS: "100000",
            }),
        ...options.env,
      }),
    }),
  );
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-8000);
    process.stderr.write(chunk);
  });
  const cleanup = () => fs.rmSync(dataDir, { recursive: true, force: true });

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGTERM");
      if (!(await waitForExit(child, 25_000))) {
        child.kill("SIGKILL");
        await waitForExit(child, 5_000);
      }
    }
    cleanup();
  };

  const deadline = Date.now() + 90_000;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      cleanup();
      throw new Error(
        `the server exited during start (${child.exitCode ?? child.signalCode}):\n${stderr}`,
      );
    }
    try {
      const response = await fetch(`${url}/api/auth/ok`);
      if (response.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`the server did not answer within 90 s:\n${stderr}`);
    }
    await sleep(250);
  }
  const pid = child.pid;
  if (pid === undefined) throw new Error("the server has no pid");
  return { url, pid, authSecret, rss: () => rssOf(pid), inspectPort, stop };
}
