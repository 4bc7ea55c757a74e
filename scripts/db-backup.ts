import path from "node:path";
import { BackupError, createBackup } from "@/server/backup/backup";
import { env } from "@/server/env";

/** `npm run db:backup -- FILE [--force]`: see docs/OPERATIONS.md, "Backups and restore". */
const args = process.argv.slice(2);
const force = args.includes("--force");
const files = args.filter((a) => a !== "--force");
if (files.length !== 1 || files[0]?.startsWith("-")) {
  console.error("Usage: npm run db:backup -- FILE [--force]");
  console.error("  --force  back up a PGlite directory whose last run did not shut down cleanly");
  process.exit(2);
}
// npm runs scripts from the project folder; a relative FILE means the caller's folder.
// eslint-disable-next-line no-restricted-properties -- INIT_CWD is npm's, not configuration
const file = path.resolve(process.env.INIT_CWD ?? process.cwd(), files[0] ?? "");

try {
  const manifest = await createBackup(
    file,
    // pg_dump and pg_restore need a session of their own, which a transaction-mode pooler
    // does not give.
    {
      dataDir: env.dataDir,
      databaseUrl: env.DIRECT_DATABASE_URL ?? env.DATABASE_URL,
      localFiles: !env.supabase,
    },
    { force, log: (line) => console.log(line) },
  );
  console.log(`Backup written to ${file} (${manifest.entries.length} entries and a manifest).`);
} catch (error) {
  const message = error instanceof Error ? error.message : String(error);
  console.error(
    error instanceof BackupError
      ? `Backup failed: ${message}`
      : `Backup failed unexpectedly: ${message}`,
  );
  process.exitCode = 1;
}
