import "server-only";

import path from "node:path";
import ipaddr from "ipaddr.js";
import { z } from "zod";
import { BROWSER_BATCH_MAX_ITEMS } from "@/lib/trpc/batch";

/**
 * The one place that reads `process.env`. Every other module imports `env` from here, so a
 * misconfiguration fails once, at start, with a message naming the variable.
 */

const flag = z
  .enum(["0", "1", "true", "false", ""])
  .optional()
  .transform((v) => v === "1" || v === "true");

const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === "" ? undefined : v.trim()));

const addressList = (value: string) =>
  value
    .split(",")
    .map((a) => a.trim())
    .filter(Boolean);

function isAddressOrRange(value: string): boolean {
  if (ipaddr.isValid(value)) return true;
  try {
    ipaddr.parseCIDR(value);
    return true;
  } catch {
    return false;
  }
}

/** A count per minute, 1 to 100,000. */
const iceUrlList = (value: string) =>
  value
    .split(",")
    .map((u) => u.trim())
    .filter(Boolean);

const iceUrl = z.string().regex(/^(stuns?|turns?):[^\s]+$/);
const iceServersJson = z
  .array(
    z
      .object({
        urls: z.union([iceUrl, z.array(iceUrl).min(1)]),
        username: z.string().optional(),
        credential: z.string().optional(),
      })
      .strict(),
  )
  .max(20);

function safeJson(value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    return undefined;
  }
}

const perMinute = (fallback: number) =>
  z.coerce.number().int().min(1).max(100_000).default(fallback);

const schema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  DATABASE_URL: optionalString.pipe(
    z
      .string()
      .regex(/^postgres(ql)?:\/\//, "must be a postgres:// URL")
      .optional(),
  ),
  DATABASE_POOLER: flag,
  /** Postgres itself, for migrations and LISTEN, when DATABASE_URL is a pooler. */
  DIRECT_DATABASE_URL: optionalString.pipe(
    z
      .string()
      .regex(/^postgres(ql)?:\/\//, "must be a postgres:// URL")
      .optional(),
  ),
  /** Connections the server keeps to Postgres at most (one process; per instance). */
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(1000).default(20),
  /** Seconds an unused pool connection stays open; 0 keeps it. */
  DATABASE_IDLE_TIMEOUT: z.coerce.number().int().min(0).max(86_400).default(30),
  /** Seconds to wait for a new connection before the request fails (503). */
  DATABASE_CONNECT_TIMEOUT: z.coerce.number().int().min(1).max(600).default(10),
  /** Milliseconds a statement may run before Postgres cancels it; 0 sets no limit. */
  DATABASE_STATEMENT_TIMEOUT: z.coerce.number().int().min(0).max(86_400_000).default(0),
  TEST_DATABASE_URL: optionalString.pipe(
    z
      .string()
      .regex(/^postgres(ql)?:\/\//, "must be a postgres:// URL")
      .optional(),
  ),
  BETTER_AUTH_SECRET: optionalString.pipe(
    z.string().min(32, "must be at least 32 characters").optional(),
  ),
  APP_URL: optionalString.pipe(z.url().optional()),
  DATA_DIR: optionalString,
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  HOST: optionalString,
  /** Comma-separated proxy addresses whose X-Forwarded-For is believed. */
  TRUSTED_PROXIES: optionalString,
  /** REST v1 requests per minute per key, unless a key carries its own lower limit. */
  API_RATE_LIMIT: z.coerce.number().int().min(1).max(100_000).default(600),
  /** Sign-in and sign-up attempts per minute per client address before 429. */
  AUTH_ATTEMPT_LIMIT: z.coerce.number().int().min(1).max(100_000).default(10),
  /** Email change requests (each mails two addresses) a minute per client address, then 429. */
  EMAIL_CHANGE_LIMIT: z.coerce.number().int().min(1).max(100_000).default(3),
  /** Two-factor calls (codes, backup codes, enrolment) a minute per client address, then 429. */
  TWO_FACTOR_ATTEMPT_LIMIT: z.coerce.number().int().min(1).max(100_000).default(10),
  /** How long "trust this device" skips the second factor on one browser, in days. */
  TWO_FACTOR_TRUST_DAYS: z.coerce.number().int().min(1).max(90).default(30),
  /** Passkey calls (registration and sign-in ceremonies) a minute per client address, then 429. */
  PASSKEY_ATTEMPT_LIMIT: z.coerce.number().int().min(1).max(100_000).default(20),
  /** Passkeys one person may register; another is refused (400). */
  PASSKEYS_PER_USER: z.coerce.number().int().min(1).max(100).default(10),
  /** Workspaces a person may belong to before creating another is refused (403). */
  WORKSPACES_PER_USER: z.coerce.number().int().min(1).max(10_000).default(20),
  /** Members a workspace may have; joining a full one is refused (403). */
  WORKSPACE_MEMBER_LIMIT: z.coerce.number().int().min(2).max(1_000_000).default(1000),
  /** Invitations a workspace may have pending at once (403 beyond). */
  WORKSPACE_PENDING_INVITATIONS: z.coerce.number().int().min(1).max(100_000).default(100),
  /** Roles a workspace may make of its own, besides the four templates (400 beyond). */
  WORKSPACE_CUSTOM_ROLES: z.coerce.number().int().min(0).max(1000).default(20),
  /** How long an invitation to a workspace can be accepted, in hours. */
  INVITATION_TTL_HOURS: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 90)
    .default(24 * 7),
  /** Failed REST v1 authentications per minute per client address before 429. */
  API_AUTH_FAILURE_LIMIT: z.coerce.number().int().min(1).max(100_000).default(20),
  /**
   * The most calls one tRPC request may batch; a larger batch is refused before any call runs.
   * At least what the browser's own link batches (`BROWSER_BATCH_MAX_ITEMS`).
   */
  TRPC_MAX_BATCH: z.coerce.number().int().min(BROWSER_BATCH_MAX_ITEMS).max(1000).default(10),
  /** How deeply arrays and objects may nest in a call's input (400 beyond). */
  INPUT_MAX_DEPTH: z.coerce.number().int().min(8).max(256).default(32),
  /** tRPC calls a minute per signed-in user, then 429. */
  RATE_LIMIT_CALLS: perMinute(1200),
  /** tRPC calls a minute per client address, whoever is signed in, then 429. */
  RATE_LIMIT_CALLS_PER_ADDRESS: perMinute(3000),
  /** tRPC mutations a minute per signed-in user, then 429. */
  RATE_LIMIT_MUTATIONS: perMinute(240),
  /** Messages sent, edited or deleted a minute per user, then 429. */
  RATE_LIMIT_MESSAGES: perMinute(60),
  /** Reactions added or removed a minute per user, then 429. */
  RATE_LIMIT_REACTIONS: perMinute(120),
  /** Uploads (attachments and avatars) a minute per user, then 429. */
  RATE_LIMIT_UPLOADS: perMinute(30),
  /** API keys created or rotated a minute per user, then 429. */
  RATE_LIMIT_API_KEYS: perMinute(10),
  /**
   * How long a refusal for being over a limit (429) is held before it is sent, in ms: a
   * client that retries at once is slowed to a few tries a second. 0 sends it at once.
   */
  RATE_LIMIT_REFUSAL_DELAY_MS: z.coerce.number().int().min(0).max(60_000).default(1000),
  /** Refusals held at once for one client address; past it they are sent at once. */
  RATE_LIMIT_REFUSALS_HELD_PER_ADDRESS: z.coerce.number().int().min(1).max(10_000).default(32),
  /** Refusals held at once in all, whatever their address; past it they are sent at once. */
  RATE_LIMIT_REFUSALS_HELD: z.coerce.number().int().min(1).max(1_000_000).default(10_000),
  /** Realtime sockets a client address may open a minute (429 past it). */
  REALTIME_CONNECTS_PER_MINUTE: z.coerce.number().int().min(1).max(1_000_000).default(600),
  /** Realtime sockets one user may hold open on an instance (a join past it is refused). */
  REALTIME_SOCKETS_PER_USER: z.coerce.number().int().min(1).max(100_000).default(20),
  /** Realtime sockets one client address may hold open on an instance (429 past it). */
  REALTIME_SOCKETS_PER_ADDRESS: z.coerce.number().int().min(1).max(1_000_000).default(1000),
  /** Of those, sockets that have not joined as a user yet. */
  REALTIME_ANONYMOUS_SOCKETS_PER_ADDRESS: z.coerce.number().int().min(1).max(100_000).default(20),
  /** Frames a realtime socket may send a second, heartbeats included; past it, it is closed. */
  REALTIME_FRAMES_PER_SECOND: z.coerce.number().int().min(1).max(100_000).default(100),
  /** Channel joins a realtime socket may make a minute. */
  REALTIME_JOINS_PER_MINUTE: z.coerce.number().int().min(1).max(100_000).default(120),
  /** A Redis shared by every instance for rate limits; unset counts in process. */
  REDIS_URL: optionalString.pipe(
    z
      .string()
      .regex(/^rediss?:\/\//, "must be a redis:// URL")
      .optional(),
  ),
  /** Tests only: test databases are reached through a PgBouncer the test setup starts. */
  TEST_DATABASE_POOLER: flag,
  /** Tests only: a Redis to test the shared rate-limit store against. */
  TEST_REDIS_URL: optionalString.pipe(
    z
      .string()
      .regex(/^rediss?:\/\//, "must be a redis:// URL")
      .optional(),
  ),
  /** Tests only: inputs the fuzz suite (test/fuzz) tries per procedure and route. */
  FUZZ_RUNS: z.coerce.number().int().min(1).max(100_000).default(20),
  /** Tests only: the fuzz suite's seed; fixed so a run repeats, changed to explore. */
  FUZZ_SEED: z.coerce.number().int().default(20261206),
  /** The largest attachment accepted, in bytes (50 MB). */
  ATTACHMENT_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(5 * 1024 ** 3)
    .default(50 * 1024 ** 2),
  /** What one user's uploads may take in all, in bytes (413 past it). */
  STORAGE_QUOTA_BYTES: z.coerce
    .number()
    .int()
    .min(1_000_000)
    .max(10 ** 13)
    .default(1_000_000_000),
  /** What one user may upload in 24 hours, in bytes (429 past it). */
  UPLOAD_BYTES_PER_DAY: z.coerce
    .number()
    .int()
    .min(1_000_000)
    .max(10 ** 13)
    .default(500_000_000),
  /** The largest image decoded, in pixels (all frames of an animation counted). */
  IMAGE_MAX_PIXELS: z.coerce.number().int().min(1_000_000).max(1_000_000_000).default(50_000_000),
  /** Images processed at once; the rest wait their turn. */
  IMAGE_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(1),
  /** Images waiting beyond those: past it an upload is refused with 429. */
  IMAGE_QUEUE_MAX: z.coerce.number().int().min(1).max(10_000).default(20),
  /** How long an attachment's signed URL stays valid, in seconds. */
  ATTACHMENT_URL_TTL_SECONDS: z.coerce
    .number()
    .int()
    .min(60)
    .max(7 * 86400)
    .default(3600),
  /** Previews of the first link in a message, fetched by the server: `on` or `off`. */
  LINK_PREVIEWS: z.enum(["on", "off"]).default("on"),
  /** How long fetching one preview may take, redirects included, in milliseconds. */
  LINK_PREVIEW_TIMEOUT_MS: z.coerce.number().int().min(500).max(60_000).default(5000),
  /** How much of a page is read for its preview, in bytes; the rest is never downloaded. */
  LINK_PREVIEW_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(16 * 1024 * 1024)
    .default(512 * 1024),
  /**
   * Addresses (IPs or CIDRs, comma-separated) previews may reach although they are not
   * public: an intranet's wiki, say. Every loopback, private, link-local and reserved address
   * is refused otherwise; listing one opens it to anyone who can post a link.
   */
  /** Ports a previewed link may name, comma-separated, or `any`. */
  LINK_PREVIEW_PORTS: z
    .string()
    .default("80,443,8080,8443")
    .refine(
      (v) =>
        v.trim() === "any" ||
        v
          .split(",")
          .every((p) => /^\d{1,5}$/.test(p.trim()) && Number(p) >= 1 && Number(p) <= 65535),
      "must be port numbers, comma-separated, or any",
    ),
  LINK_PREVIEW_ALLOWED_ADDRESSES: optionalString.refine(
    (v) => v === undefined || addressList(v).every(isAddressOrRange),
    "must be IP addresses or CIDR ranges, comma-separated",
  ),
  /**
   * Whether webhook endpoints may be private or loopback addresses (a receiver on this
   * machine). Unset: only in development. Link-local and cloud metadata addresses never.
   */
  WEBHOOK_ALLOW_PRIVATE_TARGETS: z.enum(["0", "1", "true", "false"]).optional(),
  /** Webhook deliveries that fail in a row (each after all its retries) before an endpoint is turned off. */
  WEBHOOK_DISABLE_AFTER_FAILURES: z.coerce.number().int().min(1).max(1000).default(5),
  AUDIT_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(90),
  /**
   * How long a deleted group's files stay in storage (not served) before they are removed;
   * its rows and edit history are kept. 0 removes them at the next cleanup.
   */
  DELETED_GROUP_FILES_RETENTION_DAYS: z.coerce.number().int().min(0).max(3650).default(30),
  /** The least time between two requests of one person for a copy of their data, in minutes. */
  DATA_EXPORT_INTERVAL_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(30 * 1440)
    .default(1440),
  /** How long a person's data archive can be downloaded once it is ready, in hours. */
  DATA_EXPORT_TTL_HOURS: z.coerce
    .number()
    .int()
    .min(1)
    .max(30 * 24)
    .default(72),
  /**
   * How long an account waits between "Delete my account" and its erasure, in days; signing
   * in meanwhile cancels it. 0 erases at the worker's next pass (a minute or so).
   */
  ACCOUNT_DELETION_GRACE_DAYS: z.coerce.number().int().min(0).max(365).default(30),
  /** Requests to delete one's account (each checks a password) a minute per client address. */
  ACCOUNT_DELETION_LIMIT: z.coerce.number().int().min(1).max(100_000).default(3),
  /**
   * Audit rows waiting to be written (while the database is slow or away). Past it new rows
   * are shed, counted and logged, so a long outage cannot exhaust the process's memory.
   */
  AUDIT_QUEUE_MAX: z.coerce.number().int().min(100).max(10_000_000).default(100_000),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).optional(),
  /** `pretty` (readable lines) or `json` (one object a line, for a log collector). */
  LOG_FORMAT: z.enum(["pretty", "json"]).optional(),
  /**
   * How many Parley instances share this database. Above 1, realtime fans out through
   * Postgres LISTEN/NOTIFY so a client on one instance hears events from every other.
   */
  APP_INSTANCES: z.coerce.number().int().min(1).max(1000).default(1),
  SUPABASE_URL: optionalString.pipe(z.url().optional()),
  SUPABASE_ANON_KEY: optionalString,
  SUPABASE_SERVICE_ROLE_KEY: optionalString,
  SUPABASE_JWT_SECRET: optionalString,
  /** People in one call at once: media flows browser to browser, each to every other. */
  CALL_MAX_PARTICIPANTS: z.coerce.number().int().min(2).max(8).default(6),
  /** How long a call rings before it counts as missed, in seconds. */
  CALL_RING_SECONDS: z.coerce.number().int().min(10).max(600).default(45),
  /** How long a browser in a call may go silent before it is taken out, in seconds. */
  CALL_HEARTBEAT_TIMEOUT_SECONDS: z.coerce.number().int().min(15).max(600).default(30),
  /**
   * The browser's ICE servers as JSON, e.g. `[{"urls":"stun:stun.example.com:3478"}]`; or
   * STUN_URLS and TURN_URLS with TURN_SECRET instead.
   */
  ICE_SERVERS: optionalString.refine(
    (v) => v === undefined || iceServersJson.safeParse(safeJson(v)).success,
    'must be a JSON array of {"urls", "username"?, "credential"?} with stun:, turn: or turns: URLs',
  ),
  /** STUN servers, comma-separated `stun:host:port` URLs. */
  STUN_URLS: optionalString.refine(
    (v) => v === undefined || iceUrlList(v).every((u) => /^stuns?:/.test(u)),
    "must be stun: URLs, comma-separated",
  ),
  /** TURN servers, comma-separated `turn:` or `turns:` URLs; their credentials come from TURN_SECRET. */
  TURN_URLS: optionalString.refine(
    (v) => v === undefined || iceUrlList(v).every((u) => /^turns?:/.test(u)),
    "must be turn: or turns: URLs, comma-separated",
  ),
  /** The secret shared with the TURN server (coturn's `static-auth-secret`). */
  TURN_SECRET: optionalString.refine(
    (v) => v === undefined || v.length >= 16,
    "must be at least 16 characters",
  ),
  /** How long minted TURN credentials stay valid, in seconds. */
  TURN_CREDENTIAL_TTL_SECONDS: z.coerce
    .number()
    .int()
    .min(60)
    .max(7 * 86400)
    .default(86400),
  /**
   * How long a new message waits before the pipeline decides who hears of it, in seconds: a
   * member reading the chat meanwhile (their read pointer passes it) gets no push.
   */
  NOTIFY_GRACE_SECONDS: z.coerce.number().int().min(0).max(300).default(10),
  /** Web pushes one person gets at most in a minute, over all their devices and chats. */
  PUSH_PER_USER_PER_MINUTE: z.coerce.number().int().min(1).max(120).default(10),
  /** Devices one person can have push notifications on. */
  PUSH_MAX_DEVICES: z.coerce.number().int().min(1).max(100).default(10),
  /**
   * The push services a subscription may point at (host names; a subdomain counts), so the
   * server never posts to an address a client made up. A loopback address here also admits
   * plain http to it (a local push service in tests).
   */
  PUSH_SERVICE_HOSTS: z
    .string()
    .default(
      "fcm.googleapis.com,updates.push.services.mozilla.com,push.services.mozilla.com,web.push.apple.com,notify.windows.com",
    ),
  /** VAPID keys (`npx web-push generate-vapid-keys`); generated into DATA_DIR outside production. */
  VAPID_PUBLIC_KEY: optionalString.refine(
    (v) => v === undefined || /^[A-Za-z0-9_-]{87}$/.test(v),
    "must be an uncompressed P-256 public key, base64url (87 characters)",
  ),
  VAPID_PRIVATE_KEY: optionalString.refine(
    (v) => v === undefined || /^[A-Za-z0-9_-]{43}$/.test(v),
    "must be a P-256 private key, base64url (43 characters)",
  ),
  /** Who runs this server, for push services to reach: `mailto:` or `https:`. */
  VAPID_SUBJECT: optionalString.refine(
    (v) => v === undefined || /^(mailto:|https:\/\/)/.test(v),
    "must be a mailto: or https: URL",
  ),
  /** How long unread messages wait, while their reader is away, before an e-mail digest. */
  DIGEST_DELAY_SECONDS: z.coerce
    .number()
    .int()
    .min(10)
    .max(7 * 86400)
    .default(900),
  /** The least time between two digests to one person, in seconds. */
  DIGEST_INTERVAL_SECONDS: z.coerce
    .number()
    .int()
    .min(60)
    .max(7 * 86400)
    .default(3600),
  /** Outgoing mail: `smtp://user:pass@host:587` or `smtps://…`; unset keeps mail in the dev mailbox. */
  SMTP_URL: optionalString.pipe(
    z
      .string()
      .regex(/^smtps?:\/\//, "must be an smtp:// or smtps:// URL")
      .optional(),
  ),
  /** The sender of outgoing mail, e.g. `Parley <no-reply@example.com>`. */
  MAIL_FROM: optionalString.pipe(
    z
      .string()
      .regex(
        /^[^\r\n]*<?[^\s@<>]+@[^\s@<>]+>?$/,
        "must be an address, e.g. Parley <no-reply@example.com>",
      )
      .optional(),
  ),
  /** Opens `/dev/mailbox` in production too (e.g. an end-to-end run); never needed in development. */
  DEV_MAILBOX: flag,
  PLAYWRIGHT_CHROMIUM_PATH: optionalString,
  CI: flag,
});

export function parseEnv(source: Record<string, string | undefined>) {
  const parsed = schema.safeParse(source);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new Error(`Invalid environment:\n${lines.join("\n")}`);
  }
  const raw = parsed.data;
  const supabaseVars = [
    "SUPABASE_URL",
    "SUPABASE_ANON_KEY",
    "SUPABASE_SERVICE_ROLE_KEY",
    "SUPABASE_JWT_SECRET",
  ] as const;
  const missing = supabaseVars.filter((name) => raw[name] === undefined);
  if (missing.length > 0 && missing.length < supabaseVars.length) {
    throw new Error(
      `Invalid environment:\n  Supabase mode needs all of ${supabaseVars.join(", ")}; missing ${missing.join(", ")}`,
    );
  }
  if (raw.APP_INSTANCES > 1 && raw.DATABASE_URL === undefined) {
    throw new Error(
      "Invalid environment:\n  APP_INSTANCES: several instances need a shared server Postgres (DATABASE_URL)",
    );
  }
  if (raw.DIRECT_DATABASE_URL !== undefined && raw.DATABASE_URL === undefined) {
    throw new Error(
      "Invalid environment:\n  DIRECT_DATABASE_URL: it is the direct way to the database DATABASE_URL names; set DATABASE_URL too",
    );
  }
  // Realtime, in either mode, hears revocations and departures (and, with several instances,
  // the other instances) through LISTEN, which a transaction-mode pooler drops silently.
  if (raw.DATABASE_POOLER && raw.DIRECT_DATABASE_URL === undefined) {
    throw new Error(
      raw.APP_INSTANCES > 1
        ? "Invalid environment:\n  DIRECT_DATABASE_URL: several instances relay realtime through LISTEN/NOTIFY, which a transaction-mode pooler (DATABASE_POOLER) does not carry; set DIRECT_DATABASE_URL to a connection that reaches Postgres itself"
        : "Invalid environment:\n  DIRECT_DATABASE_URL: behind a transaction-mode pooler (DATABASE_POOLER), realtime hears revoked sessions and keys through LISTEN, which the pooler does not carry; set DIRECT_DATABASE_URL to a connection that reaches Postgres itself",
    );
  }
  if (raw.DATABASE_POOLER && raw.DATABASE_STATEMENT_TIMEOUT > 0) {
    throw new Error(
      "Invalid environment:\n  DATABASE_STATEMENT_TIMEOUT: a transaction-mode pooler does not pass it on to Postgres; set it on the database role instead (ALTER ROLE … SET statement_timeout)",
    );
  }
  if ((raw.TURN_URLS === undefined) !== (raw.TURN_SECRET === undefined)) {
    throw new Error(
      "Invalid environment:\n  TURN_URLS and TURN_SECRET: a TURN server needs both (credentials are minted with the secret)",
    );
  }
  if (raw.ICE_SERVERS !== undefined && (raw.STUN_URLS ?? raw.TURN_URLS) !== undefined) {
    throw new Error(
      "Invalid environment:\n  ICE_SERVERS: give the ICE servers either as JSON or as STUN_URLS/TURN_URLS, not both",
    );
  }
  if ((raw.VAPID_PUBLIC_KEY === undefined) !== (raw.VAPID_PRIVATE_KEY === undefined)) {
    throw new Error(
      "Invalid environment:\n  VAPID_PUBLIC_KEY and VAPID_PRIVATE_KEY: web push needs both keys of the pair",
    );
  }
  if (raw.SMTP_URL !== undefined && raw.DEV_MAILBOX) {
    throw new Error(
      "Invalid environment:\n  DEV_MAILBOX: mail goes out through SMTP_URL, so there is no dev mailbox to open",
    );
  }
  const port = raw.PORT;
  const appUrl = (raw.APP_URL ?? `http://localhost:${port}`).replace(/\/+$/, "");
  return {
    ...raw,
    isProduction: raw.NODE_ENV === "production",
    isTest: raw.NODE_ENV === "test",
    /** Readable lines in development, JSON in production and tests, unless LOG_FORMAT says. */
    logFormat: raw.LOG_FORMAT ?? (raw.NODE_ENV === "development" ? "pretty" : "json"),
    /** Absolute, so a child process or a `cd` never moves the data. */
    dataDir: path.resolve(/* turbopackIgnore: true */ raw.DATA_DIR ?? ".data"),
    appUrl,
    /** Embedded mode: no server database configured, so PGlite holds the data. */
    embedded: raw.DATABASE_URL === undefined,
    /** Supabase mode: hosted Realtime (and Storage) instead of Parley's own. */
    supabase:
      raw.SUPABASE_URL &&
      raw.SUPABASE_ANON_KEY &&
      raw.SUPABASE_SERVICE_ROLE_KEY &&
      raw.SUPABASE_JWT_SECRET
        ? {
            url: raw.SUPABASE_URL.replace(/\/+$/, ""),
            anonKey: raw.SUPABASE_ANON_KEY,
            serviceRoleKey: raw.SUPABASE_SERVICE_ROLE_KEY,
            jwtSecret: raw.SUPABASE_JWT_SECRET,
          }
        : undefined,
    mail: {
      /** SMTP when configured; otherwise mail is kept in the database's dev mailbox. */
      transport: raw.SMTP_URL === undefined ? ("dev-mailbox" as const) : ("smtp" as const),
      smtpUrl: raw.SMTP_URL,
      from: raw.MAIL_FROM ?? "Parley <no-reply@localhost>",
      /** `/dev/mailbox` is readable outside production, or in production when asked for. */
      devMailboxReadable:
        raw.SMTP_URL === undefined && (raw.NODE_ENV !== "production" || raw.DEV_MAILBOX),
    },
    calls: {
      maxParticipants: raw.CALL_MAX_PARTICIPANTS,
      ringSeconds: raw.CALL_RING_SECONDS,
      heartbeatTimeoutSeconds: raw.CALL_HEARTBEAT_TIMEOUT_SECONDS,
      iceServers:
        raw.ICE_SERVERS === undefined ? [] : iceServersJson.parse(JSON.parse(raw.ICE_SERVERS)),
      stunUrls: iceUrlList(raw.STUN_URLS ?? ""),
      turn:
        raw.TURN_URLS !== undefined && raw.TURN_SECRET !== undefined
          ? {
              urls: iceUrlList(raw.TURN_URLS),
              secret: raw.TURN_SECRET,
              ttlSeconds: raw.TURN_CREDENTIAL_TTL_SECONDS,
            }
          : undefined,
    },
    notifications: {
      graceSeconds: raw.NOTIFY_GRACE_SECONDS,
      pushPerUserPerMinute: raw.PUSH_PER_USER_PER_MINUTE,
      pushMaxDevices: raw.PUSH_MAX_DEVICES,
      pushServiceHosts: raw.PUSH_SERVICE_HOSTS.split(",")
        .map((host) => host.trim().toLowerCase())
        .filter(Boolean),
      digestDelaySeconds: raw.DIGEST_DELAY_SECONDS,
      digestIntervalSeconds: raw.DIGEST_INTERVAL_SECONDS,
    },
    webhooks: {
      allowPrivateTargets:
        raw.WEBHOOK_ALLOW_PRIVATE_TARGETS === undefined
          ? raw.NODE_ENV === "development"
          : raw.WEBHOOK_ALLOW_PRIVATE_TARGETS === "1" ||
            raw.WEBHOOK_ALLOW_PRIVATE_TARGETS === "true",
      disableAfterFailures: raw.WEBHOOK_DISABLE_AFTER_FAILURES,
    },
    linkPreviewAllowedAddresses: addressList(raw.LINK_PREVIEW_ALLOWED_ADDRESSES ?? ""),
    linkPreviewPorts:
      raw.LINK_PREVIEW_PORTS.trim() === "any"
        ? ("any" as const)
        : raw.LINK_PREVIEW_PORTS.split(",").map((p) => Number(p.trim())),
    trustedProxies: new Set(
      (raw.TRUSTED_PROXIES ?? "")
        .split(",")
        .map((p) => p.trim())
        .filter(Boolean),
    ),
  };
}

export type Env = ReturnType<typeof parseEnv>;

/** Every variable Parley reads (the README's configuration table lists each). */
export const ENV_VARIABLES = Object.keys(schema.shape);

export const env: Env = parseEnv(process.env);
