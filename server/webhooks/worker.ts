import "server-only";

import { sql } from "drizzle-orm";
import { queryRows, toDate } from "@/db/rows";
import type { Database } from "@/db/types";
import { describeError } from "@/server/jobs/dead-letters";
import { storableText } from "@/server/storable-json";
import { buildPayload, type ClaimedDelivery } from "./payload";
import { RETRY_DELAYS_MS, retryDelayMs } from "./schedule";
import { sendSigned, type SendOutcome, type SendRules } from "./send";

/** How often a process looks for deliveries that are due. */
const EVERY_MS = 1_000;
/** Deliveries claimed and sent at once; the next batch is claimed when they are done. */
const BATCH = 20;
/**
 * How long a claimed delivery is hidden from other workers: far longer than a batch can take,
 * so a crash mid-send only delays it (it is sent again after the lease, under the same id).
 */
const LEASE_SECONDS = 120;
/** Settled deliveries are kept in the log this long. */
export const WEBHOOK_LOG_DAYS = 30;
const ERROR_MAX_CHARS = 2_000;

export interface WebhookWorkerOptions extends SendRules {
  /** The owner connection: the queue is closed to request roles. */
  db: Database;
  /** Deliveries failing in a row (each after its last attempt) before an endpoint is turned off. */
  disableAfterFailures: number;
  /** The waits between attempts; the last attempt is the one after the last wait. */
  retryDelaysMs?: readonly number[];
}

interface Claimed extends ClaimedDelivery {
  attempts: number;
  url: string;
  secret: string;
  enabled: boolean;
}

/** Claims due deliveries with their endpoints, hiding them from other workers for a lease. */
async function claim(db: Database): Promise<Claimed[]> {
  const rows = await queryRows<Claimed & { id: number | string; occurredAt: Date | string }>(
    db,
    sql`with due as (
          select d.id from public.webhook_deliveries d
          where d.status = 'pending' and d."nextAttemptAt" <= now()
          order by d."nextAttemptAt", d.id
          limit ${BATCH}
          for update skip locked
        )
        update public.webhook_deliveries d
        set "nextAttemptAt" = now() + make_interval(secs => ${LEASE_SECONDS})
        from due, public.webhook_endpoints e
        where d.id = due.id and e.id = d."endpointId"
        returning d.id, d."endpointId", d."eventId", d."eventType", d."chatId",
          d.subject, d."occurredAt", d.attempts, d."userId" as "ownerUserId",
          d."organizationId" as "ownerOrganizationId", e.url, e.secret, e.enabled`,
  );
  // A bigint arrives as text from postgres.js; ids stay well within a safe integer.
  return rows.map((row) => ({ ...row, id: Number(row.id), occurredAt: toDate(row.occurredAt) }));
}

async function settle(
  db: Database,
  id: number,
  status: "succeeded" | "failed" | "skipped",
  fields: {
    attempts?: number;
    responseStatus?: number | null;
    error?: string | null;
    payload?: unknown;
  },
): Promise<void> {
  await db.execute(sql`
    update public.webhook_deliveries
    set status = ${status}, "settledAt" = now(),
      attempts = coalesce(${fields.attempts ?? null}::int, attempts),
      "lastAttemptAt" = case when ${fields.attempts ?? null}::int is null then "lastAttemptAt" else now() end,
      "responseStatus" = coalesce(${fields.responseStatus ?? null}::int, "responseStatus"),
      "lastError" = ${fields.error === undefined || fields.error === null ? null : storableText(fields.error, ERROR_MAX_CHARS)},
      payload = coalesce(${fields.payload == null ? null : JSON.stringify(fields.payload)}::jsonb, payload)
    where id = ${id}`);
}

/** Records a delivered event: the endpoint is healthy again. */
async function succeeded(
  db: Database,
  delivery: Claimed,
  attempts: number,
  status: number,
  payload: unknown,
) {
  // One statement for both rows: a delivery costs as few round trips as it can.
  await db.execute(sql`
    with endpoint as (
      update public.webhook_endpoints set "consecutiveFailures" = 0, "lastSuccessAt" = now()
      where id = ${delivery.endpointId}::uuid
    )
    update public.webhook_deliveries
    set status = 'succeeded', "settledAt" = now(), attempts = ${attempts}::int,
      "lastAttemptAt" = now(), "responseStatus" = ${status}::int, "lastError" = null,
      payload = ${JSON.stringify(payload)}::jsonb
    where id = ${delivery.id}`);
}

/**
 * Records a failed attempt: tried again later by the schedule, or, past its last attempt,
 * given up — and the endpoint turned off once that has happened too often in a row.
 */
async function failed(
  db: Database,
  options: WebhookWorkerOptions,
  delivery: Claimed,
  attempts: number,
  outcome: SendOutcome,
  payload: unknown,
): Promise<void> {
  const status = outcome.kind === "answered" ? outcome.status : null;
  const error =
    outcome.kind === "answered"
      ? `answered ${outcome.status}`
      : `${outcome.kind}: ${outcome.error}`;
  const delay =
    outcome.kind === "refused"
      ? null
      : retryDelayMs(attempts, options.retryDelaysMs ?? RETRY_DELAYS_MS);
  if (delay !== null) {
    await db.execute(sql`
      with endpoint as (
        update public.webhook_endpoints set "lastFailureAt" = now()
        where id = ${delivery.endpointId}::uuid
      )
      update public.webhook_deliveries
      set attempts = ${attempts}, "lastAttemptAt" = now(), "responseStatus" = ${status}::int,
        "lastError" = ${storableText(error, ERROR_MAX_CHARS)}, payload = coalesce(${payload === null ? null : JSON.stringify(payload)}::jsonb, payload),
        "nextAttemptAt" = now() + make_interval(secs => ${delay / 1000})
      where id = ${delivery.id}`);
    return;
  }
  await settle(db, delivery.id, "failed", { attempts, responseStatus: status, error, payload });
  const reason = `Turned off after ${options.disableAfterFailures} deliveries in a row failed; the last: ${error}`;
  await db.execute(sql`
    update public.webhook_endpoints
    set "consecutiveFailures" = "consecutiveFailures" + 1, "lastFailureAt" = now(),
      enabled = enabled and "consecutiveFailures" + 1 < ${options.disableAfterFailures},
      "disabledReason" = case when enabled and "consecutiveFailures" + 1 >= ${options.disableAfterFailures}
        then ${storableText(reason, 500)} else "disabledReason" end
    where id = ${delivery.endpointId}::uuid`);
}

async function deliverOne(db: Database, options: WebhookWorkerOptions, delivery: Claimed) {
  if (!delivery.enabled) {
    await settle(db, delivery.id, "skipped", { error: "the endpoint is turned off" });
    return;
  }
  const payload = await buildPayload(db, delivery);
  if (!payload) {
    await settle(db, delivery.id, "skipped", {
      error: "the endpoint's owner may not read this chat",
    });
    return;
  }
  const attempts = delivery.attempts + 1;
  const outcome = await sendSigned(
    delivery.url,
    delivery.secret,
    { id: `msg_${delivery.eventId}`, timestamp: new Date(), body: JSON.stringify(payload) },
    options,
  );
  if (outcome.kind === "answered" && outcome.status >= 200 && outcome.status < 300) {
    await succeeded(db, delivery, attempts, outcome.status, payload);
  } else {
    await failed(db, options, delivery, attempts, outcome, payload);
  }
}

/**
 * Sends every delivery that is due, batch after batch, until none is; returns how many were
 * settled or rescheduled. One failing delivery is recorded as failed, never stops the rest.
 */
export async function drainWebhookDeliveries(options: WebhookWorkerOptions): Promise<number> {
  let handled = 0;
  for (;;) {
    const batch = await claim(options.db);
    if (batch.length === 0) return handled;
    // One slow endpoint must not hold up the others: a batch is sent side by side.
    await Promise.all(
      batch.map(async (delivery) => {
        try {
          await deliverOne(options.db, options, delivery);
        } catch (error) {
          await failed(
            options.db,
            options,
            delivery,
            delivery.attempts + 1,
            { kind: "unreachable", error: describeError(error) },
            null,
          );
        }
      }),
    );
    handled += batch.length;
  }
}

/** Removes settled deliveries older than the log keeps; returns how many. */
export async function purgeWebhookLog(db: Database, days = WEBHOOK_LOG_DAYS): Promise<number> {
  const rows = await queryRows<{ id: number }>(
    db,
    sql`delete from public.webhook_deliveries
        where "settledAt" < now() - make_interval(days => ${days}) returning id`,
  );
  return rows.length;
}

/** Keeps this process sending webhooks; every instance runs it, row locks share the work. */
export function startWebhookWorker(
  options: WebhookWorkerOptions & { onError: (error: unknown) => void },
): () => void {
  let running = false;
  let lastPurge = 0;
  const run = () => {
    if (running) return;
    running = true;
    const work = async () => {
      await drainWebhookDeliveries(options);
      if (Date.now() - lastPurge > 3_600_000) {
        lastPurge = Date.now();
        await purgeWebhookLog(options.db);
      }
    };
    work()
      .catch(options.onError)
      .finally(() => (running = false));
  };
  const timer = setInterval(run, EVERY_MS);
  timer.unref();
  return () => clearInterval(timer);
}
