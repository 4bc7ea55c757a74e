import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ENV_VARIABLES, parseEnv } from "./env";

describe("the README's configuration table", () => {
  it("lists every variable Parley reads, and no other", () => {
    const readme = fs.readFileSync(path.resolve(import.meta.dirname, "../README.md"), "utf8");
    const section = readme.slice(readme.indexOf("## Configuration"));
    const table = section.slice(0, section.indexOf("\n## "));
    const listed = table
      .split("\n")
      .filter((line) => line.startsWith("| `"))
      .flatMap((line) => [...line.split("|")[1]!.matchAll(/`([A-Z0-9_]+)`/g)].map((m) => m[1]));
    expect(listed.length).toBeGreaterThan(10);
    expect([...listed].sort()).toEqual([...ENV_VARIABLES].sort());
  });

  it("names the default of LOG_FORMAT as parseEnv applies it", () => {
    expect(parseEnv({}).logFormat).toBe("pretty");
    expect(parseEnv({ NODE_ENV: "production" }).logFormat).toBe("json");
    expect(parseEnv({ NODE_ENV: "test" }).logFormat).toBe("json");
    expect(parseEnv({ LOG_FORMAT: "json" }).logFormat).toBe("json");
    expect(() => parseEnv({ LOG_FORMAT: "xml" })).toThrow(/LOG_FORMAT/);
  });
});

describe("parseEnv", () => {
  it("defaults to embedded development on port 3000", () => {
    const env = parseEnv({});
    expect(env).toMatchObject({
      NODE_ENV: "development",
      PORT: 3000,
      appUrl: "http://localhost:3000",
      embedded: true,
      DATABASE_POOLER: false,
      dataDir: path.resolve(".data"),
    });
    expect(env.trustedProxies.size).toBe(0);
  });

  it("reads a server database, pooler mode, app URL and trusted proxies", () => {
    const env = parseEnv({
      DATABASE_URL: "postgres://u@db:6543/app",
      DATABASE_POOLER: "1",
      DIRECT_DATABASE_URL: "postgres://u@db:5432/app",
      APP_URL: "https://chat.example.com/",
      TRUSTED_PROXIES: "10.0.0.1, 10.0.0.2",
      PORT: "8080",
    });
    expect(env).toMatchObject({
      embedded: false,
      DATABASE_POOLER: true,
      DIRECT_DATABASE_URL: "postgres://u@db:5432/app",
      appUrl: "https://chat.example.com",
      PORT: 8080,
    });
    expect([...env.trustedProxies]).toEqual(["10.0.0.1", "10.0.0.2"]);
  });

  it("asks for a direct URL behind a pooler, which LISTEN cannot pass", () => {
    const pooled = { DATABASE_URL: "postgres://u@pooler:6543/app", DATABASE_POOLER: "1" };
    expect(() => parseEnv(pooled)).toThrow(
      /DIRECT_DATABASE_URL: behind a transaction-mode pooler .* LISTEN/,
    );
    expect(() => parseEnv({ ...pooled, APP_INSTANCES: "2" })).toThrow(
      /DIRECT_DATABASE_URL: several instances relay realtime through LISTEN\/NOTIFY/,
    );
    expect(() => parseEnv({ DIRECT_DATABASE_URL: "postgres://u@db:5432/app" })).toThrow(
      /DIRECT_DATABASE_URL: .* set DATABASE_URL too/,
    );
    expect(() =>
      parseEnv({ DATABASE_URL: "postgres://u@db/app", DIRECT_DATABASE_URL: "mysql://db" }),
    ).toThrow(/DIRECT_DATABASE_URL: must be a postgres:\/\/ URL/);
    // Without a pooler the one URL does both.
    expect(parseEnv({ DATABASE_URL: "postgres://u@db/app" }).DIRECT_DATABASE_URL).toBeUndefined();
  });

  it("reads the pool settings, and refuses a statement timeout a pooler would not pass on", () => {
    expect(parseEnv({})).toMatchObject({
      DATABASE_POOL_SIZE: 20,
      DATABASE_IDLE_TIMEOUT: 30,
      DATABASE_CONNECT_TIMEOUT: 10,
      DATABASE_STATEMENT_TIMEOUT: 0,
    });
    expect(
      parseEnv({
        DATABASE_POOL_SIZE: "5",
        DATABASE_IDLE_TIMEOUT: "0",
        DATABASE_CONNECT_TIMEOUT: "2",
        DATABASE_STATEMENT_TIMEOUT: "15000",
      }),
    ).toMatchObject({
      DATABASE_POOL_SIZE: 5,
      DATABASE_IDLE_TIMEOUT: 0,
      DATABASE_CONNECT_TIMEOUT: 2,
      DATABASE_STATEMENT_TIMEOUT: 15000,
    });
    expect(() => parseEnv({ DATABASE_POOL_SIZE: "0" })).toThrow(/DATABASE_POOL_SIZE/);
    expect(() => parseEnv({ DATABASE_CONNECT_TIMEOUT: "0" })).toThrow(/DATABASE_CONNECT_TIMEOUT/);
    expect(() => parseEnv({ DATABASE_IDLE_TIMEOUT: "-1" })).toThrow(/DATABASE_IDLE_TIMEOUT/);
    expect(() =>
      parseEnv({
        DATABASE_URL: "postgres://u@pooler:6543/app",
        DATABASE_POOLER: "1",
        DIRECT_DATABASE_URL: "postgres://u@db:5432/app",
        DATABASE_STATEMENT_TIMEOUT: "1000",
      }),
    ).toThrow(/DATABASE_STATEMENT_TIMEOUT: a transaction-mode pooler/);
  });

  it("reads the link preview settings, refusing addresses and ports that are not", () => {
    expect(parseEnv({})).toMatchObject({
      LINK_PREVIEWS: "on",
      LINK_PREVIEW_TIMEOUT_MS: 5000,
      LINK_PREVIEW_MAX_BYTES: 512 * 1024,
      linkPreviewAllowedAddresses: [],
      linkPreviewPorts: [80, 443, 8080, 8443],
    });
    expect(
      parseEnv({
        LINK_PREVIEWS: "off",
        LINK_PREVIEW_ALLOWED_ADDRESSES: "10.1.2.3, 192.168.0.0/16,fd00::/8",
        LINK_PREVIEW_PORTS: "any",
      }),
    ).toMatchObject({
      LINK_PREVIEWS: "off",
      linkPreviewAllowedAddresses: ["10.1.2.3", "192.168.0.0/16", "fd00::/8"],
      linkPreviewPorts: "any",
    });
    expect(parseEnv({ LINK_PREVIEW_PORTS: "80, 3000" }).linkPreviewPorts).toEqual([80, 3000]);
    expect(() => parseEnv({ LINK_PREVIEW_ALLOWED_ADDRESSES: "intranet.local" })).toThrow(
      /LINK_PREVIEW_ALLOWED_ADDRESSES/,
    );
    expect(() => parseEnv({ LINK_PREVIEW_PORTS: "80,99999" })).toThrow(/LINK_PREVIEW_PORTS/);
    expect(() => parseEnv({ LINK_PREVIEWS: "yes" })).toThrow(/LINK_PREVIEWS/);
    expect(() => parseEnv({ LINK_PREVIEW_TIMEOUT_MS: "10" })).toThrow(/LINK_PREVIEW_TIMEOUT_MS/);
  });

  it("treats empty values as unset", () => {
    expect(parseEnv({ DATABASE_URL: "", BETTER_AUTH_SECRET: " " }).embedded).toBe(true);
  });

  it.each([
    ["a DATABASE_URL that is not postgres", { DATABASE_URL: "mysql://x" }, "DATABASE_URL"],
    ["a short BETTER_AUTH_SECRET", { BETTER_AUTH_SECRET: "short" }, "BETTER_AUTH_SECRET"],
    ["a PORT out of range", { PORT: "70000" }, "PORT"],
    ["an APP_URL that is not a URL", { APP_URL: "localhost" }, "APP_URL"],
    [
      "part of the Supabase settings",
      { SUPABASE_URL: "https://x.supabase.co" },
      "SUPABASE_JWT_SECRET",
    ],
    ["several instances on embedded PGlite", { APP_INSTANCES: "2" }, "APP_INSTANCES"],
    ["an SMTP_URL that is not smtp", { SMTP_URL: "http://mail.example.com" }, "SMTP_URL"],
    ["a MAIL_FROM without an address", { MAIL_FROM: "Parley" }, "MAIL_FROM"],
    ["a MAIL_FROM with a line break", { MAIL_FROM: "a@b.c\r\nBcc: x@y.z" }, "MAIL_FROM"],
    ["a DEV_MAILBOX flag that is not a flag", { DEV_MAILBOX: "yes" }, "DEV_MAILBOX"],
    [
      "the dev mailbox beside SMTP",
      { SMTP_URL: "smtp://mail.example.com", DEV_MAILBOX: "true" },
      "DEV_MAILBOX",
    ],
  ])("refuses %s, naming the variable", (_label, source, name) => {
    expect(() => parseEnv(source)).toThrow(name);
  });

  it("reads the notification settings, with their defaults", () => {
    expect(parseEnv({}).notifications).toEqual({
      graceSeconds: 10,
      pushPerUserPerMinute: 10,
      pushMaxDevices: 10,
      pushServiceHosts: [
        "fcm.googleapis.com",
        "updates.push.services.mozilla.com",
        "push.services.mozilla.com",
        "web.push.apple.com",
        "notify.windows.com",
      ],
      digestDelaySeconds: 900,
      digestIntervalSeconds: 3600,
    });
    expect(
      parseEnv({
        NOTIFY_GRACE_SECONDS: "0",
        PUSH_SERVICE_HOSTS: " Push.Example.com , 127.0.0.1",
        DIGEST_DELAY_SECONDS: "60",
        DIGEST_INTERVAL_SECONDS: "600",
      }).notifications,
    ).toMatchObject({
      graceSeconds: 0,
      pushServiceHosts: ["push.example.com", "127.0.0.1"],
      digestDelaySeconds: 60,
      digestIntervalSeconds: 600,
    });
  });

  it("reads the call settings: limits, STUN and TURN, refusing what is not", () => {
    expect(parseEnv({}).calls).toEqual({
      maxParticipants: 6,
      ringSeconds: 45,
      heartbeatTimeoutSeconds: 30,
      iceServers: [],
      stunUrls: [],
      turn: undefined,
    });
    expect(
      parseEnv({
        CALL_MAX_PARTICIPANTS: "4",
        STUN_URLS: "stun:a.example.com:3478, stun:b.example.com",
        TURN_URLS: "turn:t.example.com:3478?transport=udp,turns:t.example.com:5349",
        TURN_SECRET: "0123456789abcdef",
        TURN_CREDENTIAL_TTL_SECONDS: "600",
      }).calls,
    ).toMatchObject({
      maxParticipants: 4,
      stunUrls: ["stun:a.example.com:3478", "stun:b.example.com"],
      turn: {
        urls: ["turn:t.example.com:3478?transport=udp", "turns:t.example.com:5349"],
        secret: "0123456789abcdef",
        ttlSeconds: 600,
      },
    });
    expect(
      parseEnv({
        ICE_SERVERS:
          '[{"urls":["stun:s.example.com"]},{"urls":"turn:t.example.com","username":"u","credential":"c"}]',
      }).calls.iceServers,
    ).toEqual([
      { urls: ["stun:s.example.com"] },
      { urls: "turn:t.example.com", username: "u", credential: "c" },
    ]);
    for (const [source, name] of [
      [{ CALL_MAX_PARTICIPANTS: "9" }, "CALL_MAX_PARTICIPANTS"],
      [{ CALL_MAX_PARTICIPANTS: "1" }, "CALL_MAX_PARTICIPANTS"],
      [{ CALL_RING_SECONDS: "5" }, "CALL_RING_SECONDS"],
      [{ CALL_HEARTBEAT_TIMEOUT_SECONDS: "10" }, "CALL_HEARTBEAT_TIMEOUT_SECONDS"],
      [{ STUN_URLS: "http://stun.example.com" }, "STUN_URLS"],
      [{ TURN_URLS: "stun:t.example.com", TURN_SECRET: "0123456789abcdef" }, "TURN_URLS"],
      [{ TURN_URLS: "turn:t.example.com" }, "TURN_SECRET"],
      [{ TURN_SECRET: "0123456789abcdef" }, "TURN_URLS"],
      [{ TURN_URLS: "turn:t.example.com", TURN_SECRET: "short" }, "TURN_SECRET"],
      [{ TURN_CREDENTIAL_TTL_SECONDS: "10" }, "TURN_CREDENTIAL_TTL_SECONDS"],
      [{ ICE_SERVERS: "not json" }, "ICE_SERVERS"],
      [{ ICE_SERVERS: '[{"urls":"https://x.example.com"}]' }, "ICE_SERVERS"],
      [{ ICE_SERVERS: '[{"urls":"stun:x"}]', STUN_URLS: "stun:y" }, "ICE_SERVERS"],
      [{ NOTIFY_GRACE_SECONDS: "-1" }, "NOTIFY_GRACE_SECONDS"],
      [{ PUSH_PER_USER_PER_MINUTE: "0" }, "PUSH_PER_USER_PER_MINUTE"],
      [{ PUSH_MAX_DEVICES: "101" }, "PUSH_MAX_DEVICES"],
      [{ VAPID_PUBLIC_KEY: "short", VAPID_PRIVATE_KEY: "x".repeat(43) }, "VAPID_PUBLIC_KEY"],
      [{ VAPID_PRIVATE_KEY: "x".repeat(43) }, "VAPID_PUBLIC_KEY and VAPID_PRIVATE_KEY"],
      [{ VAPID_SUBJECT: "ops@example.com" }, "VAPID_SUBJECT"],
      [{ DIGEST_DELAY_SECONDS: "5" }, "DIGEST_DELAY_SECONDS"],
      [{ DIGEST_INTERVAL_SECONDS: "30" }, "DIGEST_INTERVAL_SECONDS"],
    ] as const) {
      expect(() => parseEnv(source), name).toThrow(name);
    }
  });

  it("turns on Supabase mode only with all four settings", () => {
    const supabase = {
      SUPABASE_URL: "https://project.supabase.co/",
      SUPABASE_ANON_KEY: "anon",
      SUPABASE_SERVICE_ROLE_KEY: "service",
      SUPABASE_JWT_SECRET: "secret",
    };
    expect(parseEnv({}).supabase).toBeUndefined();
    expect(parseEnv(supabase).supabase).toEqual({
      url: "https://project.supabase.co",
      anonKey: "anon",
      serviceRoleKey: "service",
      jwtSecret: "secret",
    });
  });

  describe("mail", () => {
    it("keeps mail in the dev mailbox by default, readable in development", () => {
      expect(parseEnv({}).mail).toEqual({
        transport: "dev-mailbox",
        smtpUrl: undefined,
        from: "Parley <no-reply@localhost>",
        devMailboxReadable: true,
      });
    });

    it("closes the dev mailbox in production unless DEV_MAILBOX asks for it", () => {
      expect(parseEnv({ NODE_ENV: "production" }).mail.devMailboxReadable).toBe(false);
      expect(
        parseEnv({ NODE_ENV: "production", DEV_MAILBOX: "false" }).mail.devMailboxReadable,
      ).toBe(false);
      expect(
        parseEnv({ NODE_ENV: "production", DEV_MAILBOX: "true" }).mail.devMailboxReadable,
      ).toBe(true);
    });

    it("sends through SMTP when SMTP_URL is set, with no dev mailbox at all", () => {
      const mail = parseEnv({
        SMTP_URL: "smtps://user:pass@mail.example.com:465",
        MAIL_FROM: "Team <team@example.com>",
      }).mail;
      expect(mail).toEqual({
        transport: "smtp",
        smtpUrl: "smtps://user:pass@mail.example.com:465",
        from: "Team <team@example.com>",
        devMailboxReadable: false,
      });
    });
  });
});

describe("webhook settings", () => {
  it("opens private webhook targets in development only, unless told", () => {
    expect(parseEnv({}).webhooks.allowPrivateTargets).toBe(true);
    expect(parseEnv({ NODE_ENV: "production" }).webhooks.allowPrivateTargets).toBe(false);
    expect(parseEnv({ NODE_ENV: "test" }).webhooks.allowPrivateTargets).toBe(false);
    expect(
      parseEnv({ NODE_ENV: "production", WEBHOOK_ALLOW_PRIVATE_TARGETS: "true" }).webhooks
        .allowPrivateTargets,
    ).toBe(true);
    expect(parseEnv({ WEBHOOK_ALLOW_PRIVATE_TARGETS: "0" }).webhooks.allowPrivateTargets).toBe(
      false,
    );
    expect(() => parseEnv({ WEBHOOK_ALLOW_PRIVATE_TARGETS: "yes" })).toThrow(
      /WEBHOOK_ALLOW_PRIVATE_TARGETS/,
    );
  });

  it("turns endpoints off after five failed deliveries in a row by default", () => {
    expect(parseEnv({}).webhooks.disableAfterFailures).toBe(5);
    expect(parseEnv({ WEBHOOK_DISABLE_AFTER_FAILURES: "12" }).webhooks.disableAfterFailures).toBe(
      12,
    );
    expect(() => parseEnv({ WEBHOOK_DISABLE_AFTER_FAILURES: "0" })).toThrow(
      /WEBHOOK_DISABLE_AFTER_FAILURES/,
    );
  });
});
