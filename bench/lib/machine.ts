import fs from "node:fs";
import os from "node:os";
import type { Sql } from "postgres";

export interface MachineFacts {
  cpus: number;
  cpuModel: string;
  memoryGiB: number;
  node: string;
  postgres: string;
  postgresSettings: Record<string, string>;
}

/** What the figures were measured on, written beside each result. */
export async function machineFacts(sql: Sql): Promise<MachineFacts> {
  const cpuinfo = fs.existsSync("/proc/cpuinfo") ? fs.readFileSync("/proc/cpuinfo", "utf8") : "";
  const model = /model name\s*:\s*(.+)/.exec(cpuinfo)?.[1]?.trim() ?? os.cpus()[0]?.model ?? "?";
  const settings = await sql<{ name: string; setting: string; unit: string | null }[]>`
    select name, setting, unit from pg_settings
    where name in ('shared_buffers', 'max_connections', 'synchronous_commit', 'fsync', 'jit',
                   'work_mem', 'max_wal_size')`;
  const [version] = await sql<{ v: string }[]>`select current_setting('server_version') as v`;
  return {
    cpus: os.availableParallelism(),
    cpuModel: model,
    memoryGiB: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    node: process.version,
    postgres: version?.v ?? "?",
    postgresSettings: Object.fromEntries(
      settings.map((s) => [s.name, s.unit ? `${s.setting} ${s.unit}` : s.setting]),
    ),
  };
}
