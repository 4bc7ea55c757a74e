import fs from "node:fs";
import type { Sql } from "postgres";

/** Clock ticks per second of /proc/<pid>/stat times (USER_HZ, 100 on Linux). */
const TICKS = 100;

/** CPU seconds a process has used so far, or 0 once it is gone. */
export function processCpuSeconds(pid: number): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    // Fields after the command (which may contain spaces), counted from field 3.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / TICKS;
  } catch {
    return 0;
  }
}

async function backendPids(sql: Sql, database: string): Promise<number[]> {
  const rows = await sql<{ pid: number }[]>`
    select pid from pg_stat_activity where datname = ${database}`;
  return rows.map((r) => r.pid);
}

export interface CpuShares {
  /** CPU used during the run, in cores (1 = one core busy the whole time). */
  server: number;
  postgres: number;
  client: number;
}

/**
 * Where the machine's CPU went while `fn` ran: the Parley server process, the database's
 * Postgres backends (same machine), and this process (the load generator).
 */
export async function measureCpu<T>(
  sql: Sql,
  database: string,
  serverPid: number | undefined,
  fn: () => Promise<T>,
): Promise<{ result: T; cpu: CpuShares }> {
  const startPids = await backendPids(sql, database);
  const startBackends = new Map(startPids.map((pid) => [pid, processCpuSeconds(pid)]));
  const startServer = serverPid ? processCpuSeconds(serverPid) : 0;
  const startClient = process.cpuUsage();
  const started = performance.now();
  const result = await fn();
  const seconds = (performance.now() - started) / 1000;
  const client = process.cpuUsage(startClient);
  const endPids = await backendPids(sql, database);
  let postgres = 0;
  for (const pid of endPids) postgres += processCpuSeconds(pid) - (startBackends.get(pid) ?? 0);
  const server = serverPid ? processCpuSeconds(serverPid) - startServer : 0;
  const round2 = (v: number) => Math.round((v / seconds) * 100) / 100;
  return {
    result,
    cpu: {
      server: round2(server),
      postgres: round2(postgres),
      client: round2((client.user + client.system) / 1e6),
    },
  };
}
