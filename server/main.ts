import "server-only";

import { EventEmitter } from "node:events";
import { createServer, type Server } from "node:http";
import next from "next";
import { closeDatabase, getDatabase } from "@/db/client";
import { migrateDatabase } from "@/db/migrate";
import { countUsers, demoLoginsBanner, seedDemoData } from "@/server/seed/demo-data";
import { getAuth } from "./auth";
import { pendingAudit } from "./audit/buffer";
import { openConfiguredDatabase } from "./database";
import { env } from "./env";
import { coalescingServerOptions } from "./http/coalesced-response";
import { createHttpHandler } from "./http/handler";
import { createAuditFlusher } from "./jobs/audit-flush";
import { purgeAuditLogs } from "./jobs/audit-retention";
import { purgeDeadLetters } from "./jobs/dead-letters";
import { expireCalls } from "./jobs/expire-calls";
import { purgeExpiredRows } from "./jobs/expired-rows";
import { startLinkPreviewWorker } from "./jobs/link-previews";
import { sendMail } from "./mail";
import { startNotificationWorker } from "./notifications/worker";
import { startSecurityNotices } from "./auth-security-notices";
import { expireDataExports } from "./accounts/data-export/expire";
import { startDataExportWorker } from "./accounts/data-export/worker";
import { startAccountErasure } from "./accounts/deletion/worker";
import { startWebhookWorker } from "./webhooks/worker";
import { vapidKeys } from "./notifications/vapid";
import { onLinkPreviewQueued } from "./link-previews/queue";
import { publish } from "./realtime/publisher";
import {
  drainStorageDeletions,
  purgeDeletedGroupFiles,
  purgeUnboundUploads,
} from "./jobs/storage-cleanup";
import { startHealthSampling } from "./health/sampler";
import { onShutdown, runShutdownHooks } from "./lifecycle";
import { logger } from "./logger";
import { getStorage } from "./storage";
import { REALTIME_PATH, startRealtime } from "./realtime/server";

const SHUTDOWN_GRACE_MS = 10_000;

async function prepareDatabase(): Promise<boolean> {
  const handle = openConfiguredDatabase();
  // Embedded mode is the zero-configuration path: bring the schema up to date on every start.
  // On a server Postgres, development does the same; production deploys run
  // `npm run db:migrate` as a step of their own.
  if (env.embedded || !env.isProduction) await migrateDatabase(handle);
  // Demo accounts only ever go into a brand-new embedded development database.
  if (!env.embedded || env.isProduction || (await countUsers(handle.db)) > 0) return false;
  await seedDemoData(handle.db, getAuth());
  return true;
}

/** How long a stop waits for the audit queue to reach the database. */
const AUDIT_FLUSH_DEADLINE_MS = 5_000;
/** How often unanswered rings and silent browsers are looked for (a ring ends within this of its time). */
const CALL_EXPIRY_EVERY_MS = 5_000;

/** The audit flush job and the retention purge, both on the owner connection. */
function startAuditJobs(): void {
  const db = getDatabase().db;
  const flusher = createAuditFlusher(db, {
    onError: (error) => logger.error({ err: error }, "audit flush failed; will retry"),
    onShed: (count) =>
      logger.error({ shed: count }, "audit queue full (AUDIT_QUEUE_MAX): rows were shed"),
    onSetAside: (entry, error) =>
      logger.error(
        { err: error, endpoint: entry.endpoint },
        "audit row refused by the database; set aside in dead_letters",
      ),
  });
  flusher.start();
  // Shutdown hooks run once the HTTP server has stopped accepting requests.
  onShutdown("audit flush", async () => {
    const { written, unwritten } = await flusher.stop(AUDIT_FLUSH_DEADLINE_MS);
    if (unwritten > 0) {
      logger.error({ written, unwritten }, "audit rows could not be written before stopping");
    }
  });
  const purge = () => {
    purgeAuditLogs(db, env.AUDIT_RETENTION_DAYS)
      .then((n) => n > 0 && logger.info({ deleted: n }, "audit retention purge"))
      .catch((error: unknown) => logger.error({ err: error }, "audit retention purge failed"));
    purgeDeadLetters(db, env.AUDIT_RETENTION_DAYS)
      .then((n) => n > 0 && logger.info({ deleted: n }, "dead letters purged"))
      .catch((error: unknown) => logger.error({ err: error }, "dead letter purge failed"));
    purgeExpiredRows(db)
      .then((n) => {
        if (n.sessions + n.verifications + n.mail > 0) logger.info(n, "expired rows purged");
      })
      .catch((error: unknown) => logger.error({ err: error }, "expired rows purge failed"));
  };
  purge();
  setInterval(purge, 6 * 3_600_000).unref();
}

/**
 * Every minute: unbound uploads, the files of groups deleted past their retention and data
 * archives past their time purged, and the storage deletion outbox drained.
 */
function startStorageJobs(): void {
  const db = getDatabase().db;
  const run = () => {
    purgeUnboundUploads(db)
      .then(() => purgeDeletedGroupFiles(db, env.DELETED_GROUP_FILES_RETENTION_DAYS))
      .then(() => expireDataExports(db))
      .then(() => drainStorageDeletions(db, getStorage()))
      .then((n) => n > 0 && logger.info({ removed: n }, "storage cleanup"))
      .catch((error: unknown) => logger.error({ err: error }, "storage cleanup failed"));
  };
  run();
  setInterval(run, 60_000).unref();
}

/** Every few seconds: rings nobody answered and browsers gone silent leave their calls. */
function startCallJobs(): void {
  const db = getDatabase().db;
  let running = false;
  const run = () => {
    if (running) return;
    running = true;
    expireCalls(db, env.calls)
      .then((n) => n > 0 && logger.debug({ calls: n }, "calls expired"))
      .catch((error: unknown) => logger.error({ err: error }, "call expiry failed"))
      .finally(() => (running = false));
  };
  const timer = setInterval(run, CALL_EXPIRY_EVERY_MS);
  timer.unref();
  onShutdown("call expiry", () => clearInterval(timer));
}

/** Link previews fetched off the send path, when they are on. */
function startLinkPreviewJobs(): void {
  if (env.LINK_PREVIEWS === "off") return;
  const stop = startLinkPreviewWorker(
    getDatabase().db,
    {
      fetch: {
        timeoutMs: env.LINK_PREVIEW_TIMEOUT_MS,
        maxBytes: env.LINK_PREVIEW_MAX_BYTES,
        allowedAddresses: env.linkPreviewAllowedAddresses,
        ports: env.linkPreviewPorts,
      },
      publish,
    },
    {
      subscribe: onLinkPreviewQueued,
      onError: (error) => logger.error({ err: error }, "link previews failed"),
    },
  );
  onShutdown("link previews", () => stop());
}

/**
 * The notification pipeline, push and digests. Who is online comes from Parley's gateway;
 * in Supabase mode presence is hosted, so nobody counts as online and the read pointer
 * (after the grace period) is what keeps a push from someone reading.
 */
function startNotificationJobs(realtime: Awaited<ReturnType<typeof startRealtime>>): void {
  const gateway = realtime.gateway;
  const stop = startNotificationWorker({
    db: getDatabase().db,
    isOnline: (userId) => gateway?.isOnline(userId) ?? false,
    vapid: vapidKeys(),
    settings: env.notifications,
    appUrl: env.appUrl,
    send: sendMail,
    onError: (error, what) => logger.error({ err: error }, `${what} failed`),
  });
  onShutdown("notifications", () => stop());
}

/** The database side of a start: schema and demo data, then the jobs and realtime on top. */
async function startDatabaseSide() {
  const seeded = await prepareDatabase();
  startAuditJobs();
  startStorageJobs();
  startLinkPreviewJobs();
  startCallJobs();
  const realtime = await startRealtime(getDatabase());
  onShutdown(
    "health samples",
    startHealthSampling({
      db: getDatabase().db,
      gateway: realtime.gateway,
      auditPending: pendingAudit,
      onError: (error) => logger.error({ err: error }, "health sample failed"),
    }),
  );
  startNotificationJobs(realtime);
  onShutdown("security notices", startSecurityNotices());
  const stopDataExports = startDataExportWorker({
    db: getDatabase().db,
    storage: getStorage(),
    appUrl: env.appUrl,
    ttlHours: env.DATA_EXPORT_TTL_HOURS,
    send: sendMail,
    onMailError: (error, id) => logger.error({ err: error, id }, "data export mail failed"),
    onError: (error) => logger.error({ err: error }, "data exports failed"),
  });
  onShutdown("data exports", () => stopDataExports());
  const stopErasure = startAccountErasure({
    db: getDatabase().db,
    send: sendMail,
    onMailError: (error, userId) => logger.error({ err: error, userId }, "erasure mail failed"),
    onError: (error) => logger.error({ err: error }, "account erasure failed"),
  });
  onShutdown("account erasure", () => stopErasure());
  const stopWebhooks = startWebhookWorker({
    db: getDatabase().db,
    allowPrivate: env.webhooks.allowPrivateTargets,
    disableAfterFailures: env.webhooks.disableAfterFailures,
    onError: (error) => logger.error({ err: error }, "webhook deliveries failed"),
  });
  onShutdown("webhooks", () => stopWebhooks());
  return { seeded, realtime };
}

async function main(): Promise<void> {
  const dev = !env.isProduction;

  // Next attaches its own 'upgrade' listener (development HMR) to the server it first sees a
  // request on. Hand it a stand-in instead: every upgrade goes through the router below,
  // which forwards to Next's listener only what is not the realtime path.
  const nextUpgrades = new EventEmitter();
  const app = next({
    dev,
    dir: process.cwd(),
    hostname: env.HOST ?? "localhost",
    port: env.PORT,
    // Next only ever calls .on("upgrade", …) on it.
    httpServer: nextUpgrades as unknown as Server,
    ...(dev ? { turbopack: true } : {}),
  });
  const handleRequest = app.getRequestHandler();

  // The database (PGlite, migrations, demo accounts) and Next (its configuration and, in
  // development, the compiler) do not depend on each other: prepare them side by side. Both
  // are waited for even when one fails, so a failure never cuts a migration off half-way,
  // and each failure is reported under its own name.
  const [database, nextApp] = await Promise.allSettled([startDatabaseSide(), app.prepare()]);
  if (database.status === "rejected" || nextApp.status === "rejected") {
    if (database.status === "rejected")
      logger.fatal({ err: database.reason, step: "database" }, "Parley failed to start");
    if (nextApp.status === "rejected")
      logger.fatal({ err: nextApp.reason, step: "next" }, "Parley failed to start");
    process.exit(1);
  }
  const { seeded, realtime } = database.value;

  const server = createServer(
    coalescingServerOptions,
    createHttpHandler({
      realtimeGateway: realtime.gateway,
      fallback: handleRequest,
    }),
  );

  server.on("upgrade", (req, socket, head) => {
    const pathname = new URL(req.url ?? "/", "http://localhost").pathname;
    if (pathname === REALTIME_PATH) {
      realtime.handleUpgrade(req, socket, head);
      return;
    }
    // Everything else (development HMR) belongs to Next, once it has registered.
    if (!nextUpgrades.emit("upgrade", req, socket, head)) socket.destroy();
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
    // WebSockets are long-lived: close them (clients reconnect elsewhere) rather than wait.
    await realtime
      .close()
      .catch((error: unknown) => logger.error({ err: error }, "realtime shutdown failed"));
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
