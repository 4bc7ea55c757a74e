import "server-only";

import fs from "node:fs";
import path from "node:path";
import webpush from "web-push";
import { env } from "@/server/env";
import { logger } from "@/server/logger";

/** The server's identity towards push services (RFC 8292). */
export interface VapidKeys {
  publicKey: string;
  privateKey: string;
  subject: string;
}

/** `VAPID_SUBJECT`, else the app's https address, else mail to the `MAIL_FROM` address. */
function subject(): string {
  if (env.VAPID_SUBJECT) return env.VAPID_SUBJECT;
  if (env.appUrl.startsWith("https://")) return env.appUrl;
  const address = /<([^>]+)>/.exec(env.mail.from)?.[1] ?? env.mail.from;
  return `mailto:${address}`;
}

function isKeyPair(value: unknown): value is { publicKey: string; privateKey: string } {
  const pair = value as { publicKey?: unknown; privateKey?: unknown } | null;
  return typeof pair?.publicKey === "string" && typeof pair.privateKey === "string";
}

let resolved: VapidKeys | null | undefined;

/**
 * The VAPID keys: from the environment when set; in production, none (web push is off until
 * they are); otherwise generated once and kept in $DATA_DIR like the development auth secret,
 * so browsers' subscriptions survive restarts (tests get a fresh pair per process).
 */
export function vapidKeys(): VapidKeys | null {
  if (resolved !== undefined) return resolved;
  resolved = resolveVapidKeys();
  return resolved;
}

function resolveVapidKeys(): VapidKeys | null {
  if (env.VAPID_PUBLIC_KEY && env.VAPID_PRIVATE_KEY) {
    return {
      publicKey: env.VAPID_PUBLIC_KEY,
      privateKey: env.VAPID_PRIVATE_KEY,
      subject: subject(),
    };
  }
  if (env.isProduction) return null;
  if (env.isTest) return { ...webpush.generateVAPIDKeys(), subject: subject() };
  const file = path.join(env.dataDir, "vapid.json");
  try {
    const stored: unknown = JSON.parse(fs.readFileSync(file, "utf8"));
    if (isKeyPair(stored)) return { ...stored, subject: subject() };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  const pair = webpush.generateVAPIDKeys();
  fs.mkdirSync(env.dataDir, { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify(pair)}\n`, { mode: 0o600 });
  logger.warn({ file }, "VAPID keys are not set: generated a development pair and saved it");
  return { ...pair, subject: subject() };
}
