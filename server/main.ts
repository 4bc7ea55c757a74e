import { EventEmitter } from "node:events";
import { createServer, type Server } from "node:http";
import next from "next";
import { closeDatabase, getDatabase } from "@/db/client";
import { migrateDatabase } from "@/db/migrate";
import { countUsers, demoLoginsBanner, seedDemoData } from "@/db/seed";
import { getAuth } from "./auth";
import { env } from "./env";
import { runShutdownHooks } from "./lifecycle";
import { logger } from "./logger";
import { handleRealtimeUpgrade, REALTIME_PATH } from "./realtime/upgrade";

const SHUTDOWN_GRACE_MS = 10_000;

async function prepareDatabase(): Promise<boolean> {
  const handle = getDatabase();
  if (!env.embedded) return false;
  // Embedded mode is the zero-configuration path: bring the schema up to date every start,
  // and give a brand-new development database its demo accounts.
  await migrateDatabase(handle);
  if (env.isProduction || (await countUsers(handle.db)) > 0) return false;
  await seedDemoData(handle.db, getAuth());
  return true;
}

async function main(): Promise<void> {
  const dev = !env.isProduction;
  const seeded = await prepareDatabase();

  // Next attaches its own 'upgrade' listener to the server it first sees a request on. Hand
  // it a stand-in instead, so every upgrade goes through the router below and the realtime
  // path is never offered to Next.
  const upgradeSink = new EventEmitter() as unknown as Server;
  const app = next({
    dev,
    dir: process.cwd(),
    hostname: env.HOST ?? "localhost",
    port: env.PORT,
    httpServer: upgradeSink,
    ...(dev ? { turbopack: true } : {}),
  });
  const handleRequest = app.getRequestHandler();
  await app.prepare();
  const handleNextUpgrade = app.getUpgradeHandler();

  const server = createServer((req, res) => {
    handleRequest(req, res).catch((error: unknown) => {
      logger.error({ err: error, url: req.url }, "request failed");
      if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain" });
      res.end("Internal server error");
    });
  });

  server.on("upgrade", (req, socket, head) => {
    const pathname = new URL(req.url ?? "/", "http://localhost").pathname;
    if (pathname === REALTIME_PATH) {
      handleRealtimeUpgrade(req, socket, head);
      return;
    }
    // Everything else (development HMR) belongs to Next.
    handleNextUpgrade(req, socket, head).catch((error: unknown) => {
      logger.warn({ err: error, url: req.url }, "upgrade failed");
      socket.destroy();
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(env.PORT, env.HOST, () => resolve());
  });

  logger.info(
    { url: env.appUrl, database: getDatabase().driver, mode: dev ? "development" : "production" },
    "Parley is listening",
  );
  if (env.embedded && !env.isProduction) {
    process.stdout.write(
      demoLoginsBanner(env.appUrl) + (seeded ? "  (demo data created)\n" : "\n"),
    );
  }

  let stopping = false;
  const shutdown = async (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "shutting down");
    const forceExit = setTimeout(() => {
      logger.error("graceful shutdown timed out");
      process.exit(1);
    }, SHUTDOWN_GRACE_MS * 2);
    forceExit.unref();

    // Stop accepting; let in-flight requests finish; then drop idle keep-alive sockets.
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    const grace = setTimeout(() => server.closeAllConnections(), SHUTDOWN_GRACE_MS);
    await closed;
    clearTimeout(grace);

    await runShutdownHooks((name, error) =>
      logger.error({ err: error, hook: name }, "shutdown hook failed"),
    );
    await app.close();
    await closeDatabase();
    logger.info("stopped");
    process.exit(0);
  };
  process.on("SIGTERM", (signal) => void shutdown(signal));
  process.on("SIGINT", (signal) => void shutdown(signal));
}

main().catch((error: unknown) => {
  logger.fatal({ err: error }, "Parley failed to start");
  process.exit(1);
});
