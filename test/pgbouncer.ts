import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import { createServer } from "node:net";
import os from "node:os";
import path from "node:path";
import { answers } from "./server-postgres";

/** Where Debian's `pgbouncer` package puts the binary. */
const CANDIDATES = ["/usr/sbin/pgbouncer", "/usr/bin/pgbouncer"];

export function pgbouncerBinary(): string | null {
  return CANDIDATES.find((candidate) => fs.existsSync(candidate)) ?? null;
}

export interface RunningPgbouncer {
  /** The pooler's URL for database `postgres` (databaseUrl() names another one). */
  url: string;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address
          ? resolve(address.port)
          : reject(new Error("no port")),
      );
    });
  });
}

/** `"name" "secret"` lines of an auth_file, quotes doubled. */
const quoted = (value: string) => `"${value.replaceAll('"', '""')}"`;

/**
 * Starts PgBouncer in transaction mode — the mode of PgBouncer and Supavisor deployments, in
 * which a server connection serves one transaction and goes back to the pool — in front of
 * the server `serverUrl` names, for every database on it, on a free loopback port unless
 * given one (a restart on the same address).
 */
export async function startPgbouncer(
  binary: string,
  serverUrl: string,
  options: { port?: number } = {},
): Promise<RunningPgbouncer> {
  const server = new URL(serverUrl);
  const user = decodeURIComponent(server.username || "postgres");
  const password = decodeURIComponent(server.password);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "parley-pgbouncer-"));
  const port = options.port ?? (await freePort());
  fs.writeFileSync(path.join(dir, "users.txt"), `${quoted(user)} ${quoted(password)}\n`);
  fs.writeFileSync(
    path.join(dir, "pgbouncer.ini"),
    [
      "[databases]",
      `* = host=${server.hostname.replace(/^\[|\]$/g, "")} port=${server.port || "5432"}`,
      "[pgbouncer]",
      "listen_addr = 127.0.0.1",
      `listen_port = ${port}`,
      "unix_socket_dir =",
      "auth_type = trust",
      `auth_file = ${path.join(dir, "users.txt")}`,
      "pool_mode = transaction",
      "max_client_conn = 2000",
      "default_pool_size = 40",
      // postgres.js sets it at startup; PgBouncer would refuse a parameter it does not know.
      "ignore_startup_parameters = extra_float_digits",
      // Test databases are dropped with (force) while the pooler may hold connections to them.
      "server_login_retry = 1",
      "log_connections = 0",
      "log_disconnections = 0",
    ].join("\n"),
  );
  // PgBouncer will not run as root; as root it is told to become the cluster's own user.
  const asRoot = process.getuid?.() === 0;
  if (asRoot) execFileSync("chown", ["-R", "postgres", dir]);
  const child: ChildProcess = spawn(
    binary,
    [...(asRoot ? ["-u", "postgres"] : []), path.join(dir, "pgbouncer.ini")],
    { stdio: ["ignore", "ignore", "pipe"] },
  );
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4_000)));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const url = new URL(serverUrl);
  url.hostname = "127.0.0.1";
  url.port = String(port);
  url.pathname = "/postgres";
  const stop = async () => {
    if (child.exitCode === null) child.kill("SIGTERM");
    await exited;
    fs.rmSync(dir, { recursive: true, force: true });
  };
  for (let attempt = 0; attempt < 50; attempt += 1) {
    if (child.exitCode !== null) break;
    if (await answers(url.toString())) return { url: url.toString(), stop };
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await stop();
  throw new Error(`PgBouncer did not start: ${stderr.trim() || "no answer"}`);
}
