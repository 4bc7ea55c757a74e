/**
 * `npm run bench [names…] [--quick] [--build | --no-build]`: runs the benchmarks (all, or the
 * named ones) against a fresh database on BENCH_DATABASE_URL and Parley's production build,
 * prints a table and writes bench/results/<name>.json. See docs/PERFORMANCE.md.
 */
import { abuse } from "./abuse";
import { accountErasure } from "./account-erasure";
import { apiV1 } from "./api-v1";
import { callSetup } from "./call-setup";
import { chatList } from "./chat-list";
import { coldStart } from "./cold-start";
import { connections } from "./connections";
import { dataExport } from "./data-export";
import { fanout } from "./fanout";
import { faults } from "./faults";
import { history } from "./history";
import { linkPreviews } from "./link-previews";
import { killTracked } from "./lib/children";
import type { Benchmark, BenchContext } from "./lib/context";
import { createBenchDatabase } from "./lib/database";
import { machineFacts } from "./lib/machine";
import { mentions } from "./mentions";
import { formatTable, writeResult, type BenchResult } from "./lib/result";
import { buildApp, buildIsCurrent, startServer, type RunningServer } from "./lib/server";
import { notifyPipeline } from "./notify-pipeline";
import { pooler } from "./pooler";
import { send } from "./send";
import { threads } from "./threads";
import { webhooks } from "./webhooks";

const ALL: Benchmark[] = [
  history,
  threads,
  chatList,
  send,
  linkPreviews,
  apiV1,
  fanout,
  callSetup,
  connections,
  coldStart,
  abuse,
  faults,
  // In this process, without the server: last, so the people they add touch no one else's run.
  mentions,
  notifyPipeline,
  dataExport,
  accountErasure,
  webhooks,
  pooler,
];

function parseArgs(argv: string[]) {
  const flags = new Set(argv.filter((a) => a.startsWith("--")));
  const names = argv.filter((a) => !a.startsWith("--"));
  for (const flag of flags) {
    if (!["--quick", "--build", "--no-build"].includes(flag))
      throw new Error(`unknown flag ${flag}`);
  }
  const unknown = names.filter((n) => !ALL.some((b) => b.name === n));
  if (unknown.length) {
    throw new Error(
      `unknown benchmark ${unknown.join(", ")}; known: ${ALL.map((b) => b.name).join(", ")}`,
    );
  }
  return {
    selected: names.length ? ALL.filter((b) => names.includes(b.name)) : ALL,
    quick: flags.has("--quick"),
    build: flags.has("--build") ? "always" : flags.has("--no-build") ? "never" : "auto",
  };
}

const log = (message: string) => process.stdout.write(`[bench] ${message}\n`);

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  const runStarted = performance.now();
  if (args.selected.some((b) => b.needsBuild)) {
    if (args.build === "always" || (args.build === "auto" && !buildIsCurrent())) {
      log("building (next build)");
      buildApp();
    } else log("using the production build in .next");
  }

  const db = await createBenchDatabase();
  log(`database ${db.name}`);
  let server: Promise<RunningServer> | undefined;
  const stopAll = async () => {
    const running = await server?.catch(() => undefined);
    server = undefined;
    await running?.stop();
    killTracked();
    await db.drop();
  };
  process.once("SIGINT", () => void stopAll().finally(() => process.exit(130)));
  process.once("SIGTERM", () => void stopAll().finally(() => process.exit(143)));
  // A throw inside a socket callback ends up here: still stop the server and drop the database.
  process.once("uncaughtException", (error) => {
    process.stderr.write(`${error.stack ?? error.message}\n`);
    void stopAll().finally(() => process.exit(1));
  });

  const results: BenchResult[] = [];
  const failed: string[] = [];
  try {
    const machine = await machineFacts(db.sql);
    const ctx: BenchContext = {
      db,
      quick: args.quick,
      log,
      server: () => {
        server ??= startServer(db.url).then((s) => {
          log(`server on ${s.url} (pid ${s.pid})`);
          return s;
        });
        return server;
      },
    };
    for (const benchmark of args.selected) {
      log(`— ${benchmark.name}`);
      const started = performance.now();
      try {
        const result = await benchmark.run(ctx);
        result.details = {
          ...result.details,
          quick: args.quick,
          seconds: Math.round((performance.now() - started) / 100) / 10,
          measuredAt: new Date().toISOString(),
          machine,
        };
        results.push(result);
        log(`${benchmark.name}: ${result.met ? "met" : "NOT met"} → ${writeResult(result)}`);
      } catch (error) {
        failed.push(benchmark.name);
        log(
          `${benchmark.name} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
        );
      }
    }
  } finally {
    await stopAll();
  }

  process.stdout.write(`\n${formatTable(results)}\n\n`);
  log(`total ${Math.round((performance.now() - runStarted) / 1000)} s`);
  if (failed.length) log(`failed: ${failed.join(", ")}`);
  return failed.length ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
