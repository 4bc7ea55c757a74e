import "server-only";

import type { Database } from "@/db/types";
import type { MailMessage } from "@/server/mail/message";
import { sendDueDigests } from "./digests";
import { drainNotificationJobs } from "./pipeline";
import { drainPushDeliveries } from "./push-sender";
import type { VapidKeys } from "./vapid";

/** How often a process looks for messages past their grace period and pushes due. */
const PIPELINE_EVERY_MS = 2_000;
/** How often it looks for digests that are due: their delay is minutes, not seconds. */
const DIGESTS_EVERY_MS = 30_000;

export interface NotificationWorkerOptions {
  db: Database;
  isOnline: (userId: string) => boolean;
  /** Null when web push is off (no VAPID keys): pushes are then never queued for sending. */
  vapid: VapidKeys | null;
  settings: {
    graceSeconds: number;
    pushPerUserPerMinute: number;
    pushServiceHosts: readonly string[];
    digestDelaySeconds: number;
    digestIntervalSeconds: number;
  };
  appUrl: string;
  send: (mail: MailMessage) => Promise<void>;
  onError: (error: unknown, what: string) => void;
}

/**
 * Keeps this process working the notification queues: deciding about new messages, sending
 * the pushes that decides, and the digests that are due. Each loop never runs twice at once;
 * every instance runs them, and the queues' row locks share the work. Returns a stop.
 */
export function startNotificationWorker(options: NotificationWorkerOptions): () => void {
  const { db, settings } = options;
  const loop = (what: string, everyMs: number, work: () => Promise<unknown>) => {
    let running = false;
    const run = () => {
      if (running) return;
      running = true;
      work()
        .catch((error: unknown) => options.onError(error, what))
        .finally(() => (running = false));
    };
    const timer = setInterval(run, everyMs);
    timer.unref();
    return () => clearInterval(timer);
  };
  const stops = [
    loop("notification pipeline", PIPELINE_EVERY_MS, async () => {
      await drainNotificationJobs(db, {
        isOnline: options.isOnline,
        graceSeconds: settings.graceSeconds,
        pushesPerMinute: settings.pushPerUserPerMinute,
        pushEnabled: options.vapid !== null,
      });
      if (options.vapid) {
        await drainPushDeliveries(db, {
          vapid: options.vapid,
          allowedHosts: settings.pushServiceHosts,
        });
      }
    }),
    loop("digests", DIGESTS_EVERY_MS, () =>
      sendDueDigests(db, {
        isOnline: options.isOnline,
        delaySeconds: settings.digestDelaySeconds,
        intervalSeconds: settings.digestIntervalSeconds,
        appUrl: options.appUrl,
        send: options.send,
      }),
    ),
  ];
  return () => stops.forEach((stop) => stop());
}
