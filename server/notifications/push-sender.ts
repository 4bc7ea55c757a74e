import "server-only";

import { sql } from "drizzle-orm";
import webpush from "web-push";
import { queryRows } from "@/db/rows";
import type { Database } from "@/db/types";
import type { ChatType, MessageType } from "@/contracts/enums";
import { preferencesFromMetas } from "@/contracts/preferences";
import { setAside } from "@/server/jobs/dead-letters";
import { pushEndpointProblem } from "./push-endpoint";
import { pushPayload } from "./push-payload";
import type { VapidKeys } from "./vapid";
import { mentionNames, mentionsAsNames } from "@/lib/markdown/mentions";
import { mentionedMemberNames } from "./mentioned-names";
import { notificationMetas } from "./notification-metas";

/** Attempts at one push (a push service down, throttling us) before it is given up. */
export const PUSH_MAX_ATTEMPTS = 5;
/** How long a push service may take to answer. */
const PUSH_TIMEOUT_MS = 10_000;
/** How long a push service keeps a push for a device that is offline, in seconds. */
const PUSH_TTL_SECONDS = 86_400;
const BATCH = 20;

interface Delivery {
  id: number;
  attempts: number;
  subscriptionId: string;
  endpoint: string;
  p256dh: string;
  auth: string;
  messageId: string;
  seq: number | string;
  type: MessageType;
  content: string;
  threadRootId: string | null;
  gone: boolean;
  chatId: string;
  chatType: ChatType;
  chatName: string | null;
  senderName: string | null;
  mentioned: boolean;
  mentionNames: { id: string; name: string }[] | null;
  metas: { key: string; value: unknown }[] | null;
}

export interface PushSenderDeps {
  vapid: VapidKeys;
  /** PUSH_SERVICE_HOSTS: checked again before every post, not only when a device subscribed. */
  allowedHosts: readonly string[];
}

/**
 * Sends the queued pushes, a batch at a time, until none is due: claimed with `SKIP LOCKED`
 * and leased like the other queues. Each is encrypted for its device (RFC 8291, by
 * `web-push`) and posted to its push service. A device the service no longer knows (404,
 * 410) is forgotten with its pushes; a busy or failing service (429, 5xx, no answer) is tried
 * again later; anything else, or too many tries, sets the push aside as a dead letter.
 * Returns how many pushes were delivered.
 */
export async function drainPushDeliveries(db: Database, deps: PushSenderDeps): Promise<number> {
  let sent = 0;
  for (;;) {
    const batch = await claim(db);
    if (batch.length === 0) return sent;
    const results = await Promise.all(batch.map((delivery) => deliver(db, deps, delivery)));
    sent += results.filter(Boolean).length;
  }
}

function claim(db: Database): Promise<Delivery[]> {
  return queryRows<Delivery>(
    db,
    sql`with claimed as (
          update public.push_deliveries d
          set attempts = d.attempts + 1,
              "nextAttemptAt" = now() + make_interval(secs => 30 * power(2, d.attempts))
          where d.id in (
            select id from public.push_deliveries
            where status = 'queued' and "nextAttemptAt" <= now()
            order by "nextAttemptAt"
            limit ${BATCH}
            for update skip locked
          )
          returning d.id, d.attempts, d."subscriptionId", d."messageId", d."userId"
        )
        select c.id, c.attempts, c."subscriptionId", s.endpoint, s.p256dh, s.auth,
          c."messageId", m.seq::float8 as seq, m.type,
          m.content, m."threadRootId", ${mentionedMemberNames("m")} as "mentionNames",
          m."deletedAt" is not null or ch."deletedAt" is not null as gone,
          ch.id as "chatId", ch.type as "chatType", ch.name as "chatName",
          sender.name as "senderName",
          exists (select 1 from public.message_mentions mm
                  where mm."messageId" = c."messageId" and mm."userId" = c."userId") as mentioned,
          ${notificationMetas(`c."userId"`)} as metas
        from claimed c
        join public.push_subscriptions s on s.id = c."subscriptionId"
        join public.messages m on m.id = c."messageId"
        join public.chats ch on ch.id = m."chatId"
        left join public."user" sender on sender.id = m."senderId"`,
  );
}

async function deliver(db: Database, deps: PushSenderDeps, delivery: Delivery): Promise<boolean> {
  if (delivery.gone) {
    await db.execute(sql`delete from public.push_deliveries where id = ${delivery.id}`);
    return false;
  }
  // However the row was written (the subscribe procedure checks too, but the database function
  // cannot know the list), and whatever the list was then: never post off it.
  if (pushEndpointProblem(delivery.endpoint, deps.allowedHosts)) {
    await db.execute(
      sql`delete from public.push_subscriptions where id = ${delivery.subscriptionId}::uuid`,
    );
    return false;
  }
  const payload = pushPayload({
    chat: { id: delivery.chatId, type: delivery.chatType, name: delivery.chatName },
    senderName: delivery.senderName,
    message: {
      seq: Number(delivery.seq),
      type: delivery.type,
      content: mentionsAsNames(delivery.content, mentionNames(delivery.mentionNames ?? [])),
      threadRootId: delivery.threadRootId,
    },
    previews: preferencesFromMetas(delivery.metas ?? []).preferences.messagePreviews,
  });
  let status: number;
  try {
    const request = webpush.generateRequestDetails(
      { endpoint: delivery.endpoint, keys: { p256dh: delivery.p256dh, auth: delivery.auth } },
      JSON.stringify(payload),
      {
        vapidDetails: deps.vapid,
        TTL: PUSH_TTL_SECONDS,
        urgency: delivery.mentioned ? "high" : "normal",
        // A newer push for the same chat replaces one still waiting for the device.
        topic: delivery.chatId.replaceAll("-", ""),
      },
    );
    const response = await fetch(request.endpoint, {
      method: request.method,
      headers: Object.fromEntries(
        Object.entries(request.headers).map(([name, value]) => [name, String(value)]),
      ),
      body: request.body ? new Uint8Array(request.body) : null,
      redirect: "manual",
      signal: AbortSignal.timeout(PUSH_TIMEOUT_MS),
    });
    status = response.status;
    await response.body?.cancel();
  } catch (error) {
    return retryOrSetAside(db, delivery, error);
  }
  if (status >= 200 && status < 300) {
    await db.execute(
      sql`with sent as (
            update public.push_deliveries set status = 'sent', "settledAt" = now()
            where id = ${delivery.id} returning "subscriptionId"
          )
          update public.push_subscriptions set "lastSuccessAt" = now()
          where id in (select "subscriptionId" from sent)`,
    );
    return true;
  }
  if (status === 404 || status === 410) {
    // The browser unsubscribed, or the service expired the subscription: it is gone for good.
    await db.execute(
      sql`delete from public.push_subscriptions where id = ${delivery.subscriptionId}::uuid`,
    );
    return false;
  }
  const failure = new Error(`The push service answered ${status}`);
  if (status === 429 || status >= 500) return retryOrSetAside(db, delivery, failure);
  await giveUp(db, delivery, failure);
  return false;
}

async function retryOrSetAside(db: Database, delivery: Delivery, error: unknown): Promise<false> {
  // The lease already moved the next attempt on; only the last one is given up.
  if (delivery.attempts >= PUSH_MAX_ATTEMPTS) await giveUp(db, delivery, error);
  return false;
}

async function giveUp(db: Database, delivery: Delivery, error: unknown): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.execute(
      sql`update public.push_deliveries set status = 'failed', "settledAt" = now()
          where id = ${delivery.id}`,
    );
    await setAside(
      tx,
      "push",
      {
        deliveryId: delivery.id,
        messageId: delivery.messageId,
        subscriptionId: delivery.subscriptionId,
      },
      error,
      delivery.attempts,
    );
  });
}
