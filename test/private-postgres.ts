import { execFile } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import fs from "node:fs/promises";
import { createServer } from "node:net";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

/** Where Debian and most Linux packages put the server's programs, newest first. */
function postgresBinDir(): string | null {
  const root = "/usr/lib/postgresql";
  if (!existsSync(root)) return null;
  const versions = readdirSync(root)
    .filter((v) => existsSync(path.join(root, v, "bin", "initdb")))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] ? path.join(root, versions[0], "bin") : null;
}

/** Why a test that starts its own PostgreSQL cannot run here, or null when it can. */
export function withoutPostgresPrograms(): string | null {
  return postgresBinDir()
    ? null
    : "needs PostgreSQL's server programs (initdb, pg_ctl in /usr/lib/postgresql/<version>/bin)";
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export interface PrivatePostgres {
  /** `postgres://postgres@127.0.0.1:<port>/postgres` (trust authentication, loopback only). */
  url: string;
  /** Stops the server the way an operator's restart does (fast: sessions are cut) and starts it. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * A PostgreSQL server of the test's own, in a temporary directory on a free port, that the
 * test may restart or stop without touching anyone else's. Run as the `postgres` user when
 * the test runs as root (the server refuses to run as root).
 */
export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const bin = postgresBinDir();
  if (!bin) throw new Error(withoutPostgresPrograms() ?? "no PostgreSQL programs");
  const asRoot = process.getuid?.() === 0;
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), "parley-pg-"));
  const data = path.join(dir, "data");
  const socketDir = dir;
  if (asRoot) await run("chown", ["postgres:postgres", dir]);
  const exec = (program: string, args: string[]) =>
    asRoot
      ? run("runuser", ["-u", "postgres", "--", path.join(bin, program), ...args])
      : run(path.join(bin, program), args);

  await exec("initdb", [
    "-D",
    data,
    "-U",
    "postgres",
    "--auth=trust",
    "--no-sync",
    "-E",
    "UTF8",
    "--locale=C",
  ]);
  const port = await freePort();
  const options = [
    `-p ${port}`,
    "-c listen_addresses=127.0.0.1",
    `-c unix_socket_directories=${socketDir}`,
    "-c fsync=off",
    "-c max_connections=100",
  ].join(" ");
  const pgCtl = (...args: string[]) =>
    exec("pg_ctl", ["-D", data, "-o", options, "-l", path.join(dir, "log"), "-w", ...args]);
  await pgCtl("start");
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    restart: async () => {
      await pgCtl("restart", "-m", "fast");
    },
    stop: async () => {
      await pgCtl("stop", "-m", "immediate").catch(() => undefined);
      await fs.rm(dir, { recursive: true, force: true });
    },
  };
}
