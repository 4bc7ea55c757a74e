import "server-only";

import { sql } from "drizzle-orm";
import { queryRows } from "@/db/rows";
import type { Database } from "@/db/types";
import { deliveryChannels, type Channels } from "@/lib/notifications/channels";
import { decide, type Decision } from "@/lib/notifications/decide";
import type { Preferences } from "@/contracts/preferences";
import type { QuietHours } from "@/lib/notifications/quiet-hours";
import { setAside } from "@/server/jobs/dead-letters";
import { loadCandidates } from "./recipients";

/** Attempts at one message's decisions before it is set aside as a dead letter. */
export const NOTIFICATION_MAX_ATTEMPTS = 5;
/** Messages decided at once by one process. */
const BATCH = 20;

export interface PipelineDeps {
  /** Whether the user has Parley open anywhere right now (the realtime gateway's presence). */
  isOnline: (userId: string) => boolean;
  /** How long a message waits before it is decided about, in seconds. */
  graceSeconds: number;
  pushesPerMinute: number;
  /** False when this server cannot send pushes (no VAPID keys): none are queued. */
  pushEnabled: boolean;
}

/** What was decided for one member: kept for the log and the tests, not stored. */
export interface Outcome {
  messageId: string;
  userId: string;
  decision: Decision;
  channels: Channels | null;
}

export function quietHoursOf(preferences: Preferences): QuietHours | null {
  const { quietHoursStart: start, quietHoursEnd: end, quietHoursTimeZone: timeZone } = preferences;
  return start && end ? { start, end, timeZone } : null;
}

/**
 * Decides about every message whose grace period is over, a batch at a time, until none is
 * left: each job is claimed with `SKIP LOCKED` (instances share the queue) and leased by
 * moving its next attempt forward first, so a crash loses nothing and the job comes back.
 * For each member the rule lets through, the message is held for their digest and a push is
 * queued to each of their devices; all that and the job's removal commit together, so a
 * retry never doubles anything. A job that keeps failing is set aside as a dead letter.
 */
export async function drainNotificationJobs(db: Database, deps: PipelineDeps): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  for (;;) {
    const jobs = await queryRows<{ messageId: string; attempts: number }>(
      db,
      sql`update public.notification_jobs j
          set attempts = j.attempts + 1,
              "nextAttemptAt" = now() + make_interval(secs => 30 * power(2, j.attempts))
          where j."messageId" in (
            select "messageId" from public.notification_jobs
            where "nextAttemptAt" <= now()
              and "createdAt" <= now() - make_interval(secs => ${deps.graceSeconds})
            order by "nextAttemptAt"
            limit ${BATCH}
            for update skip locked
          )
          returning j."messageId", j.attempts`,
    );
    if (jobs.length === 0) return outcomes;
    for (const job of jobs) {
      try {
        outcomes.push(...(await decideOne(db, deps, job.messageId)));
      } catch (error) {
        if (job.attempts < NOTIFICATION_MAX_ATTEMPTS) continue;
        // Set aside and taken off the queue together: never two letters, never a lost job.
        await db.transaction(async (tx) => {
          await setAside(tx, "notifications", { messageId: job.messageId }, error, job.attempts);
          await tx.execute(
            sql`delete from public.notification_jobs where "messageId" = ${job.messageId}::uuid`,
          );
        });
      }
    }
  }
}

async function decideOne(db: Database, deps: PipelineDeps, messageId: string): Promise<Outcome[]> {
  const loaded = await loadCandidates(db, messageId);
  const now = new Date();
  const outcomes: Outcome[] = [];
  const digest: string[] = [];
  const push: string[] = [];
  for (const candidate of loaded?.candidates ?? []) {
    const online = deps.isOnline(candidate.userId);
    const decision = decide(
      loaded!.message,
      {
        userId: candidate.userId,
        chatType: candidate.chatType,
        chatLevel: candidate.chatLevel,
        mutedUntil: candidate.mutedUntil,
        defaultLevel: candidate.preferences.notificationLevel,
        mention: candidate.mention,
        alreadyRead: candidate.alreadyRead,
        online,
      },
      now,
    );
    const channels = decision.notify
      ? deliveryChannels(
          {
            email: candidate.preferences.emailNotifications,
            push: deps.pushEnabled && candidate.preferences.pushNotifications,
            pushDevices: candidate.pushDevices,
            online,
            quietHours: quietHoursOf(candidate.preferences),
            recentPushes: candidate.recentPushes,
            pushesPerMinute: deps.pushesPerMinute,
          },
          now,
        )
      : null;
    if (channels?.digest) digest.push(candidate.userId);
    if (channels?.push === "send") push.push(candidate.userId);
    outcomes.push({ messageId, userId: candidate.userId, decision, channels });
  }
  await db.transaction(async (tx) => {
    if (digest.length > 0) {
      await tx.execute(
        sql`insert into public.digest_items ("userId", "messageId")
            select u, ${messageId}::uuid from unnest(${`{${digest.join(",")}}`}::uuid[]) as u
            on conflict do nothing`,
      );
    }
    if (push.length > 0) {
      await tx.execute(
        sql`insert into public.push_deliveries ("subscriptionId", "userId", "messageId")
            select s.id, s."userId", ${messageId}::uuid from public.push_subscriptions s
            where s."userId" = any(${`{${push.join(",")}}`}::uuid[])
            on conflict do nothing`,
      );
    }
    await tx.execute(
      sql`delete from public.notification_jobs where "messageId" = ${messageId}::uuid`,
    );
  });
  return outcomes;
}
