import "server-only";

import { randomBytes } from "node:crypto";
import { and, desc, eq, isNull, lt, sql, type SQL } from "drizzle-orm";
import type {
  WebhookDelivery,
  WebhookDeliveryStatus,
  WebhookEndpoint,
  WebhookEventType,
} from "@/contracts/webhooks";
import { MAX_WEBHOOK_ENDPOINTS } from "@/contracts/webhooks";
import { queryRows } from "@/db/rows";
import { webhookDeliveries, webhookEndpoints } from "@/db/schema";
import type { Tx } from "@/db/types";
import { env } from "@/server/env";
import { AppError, refusedOverLimit, sqlState } from "@/server/errors";
import { AddressRefused, refuseNonPublicHost } from "@/server/outbound/address";
import { checkWebhookUrl } from "@/server/webhooks/send";

/**
 * Webhook endpoints and their delivery logs, under RLS: a person manages their own, a
 * workspace's owners and admins those of the workspace their request runs in. Sending is the
 * worker's (server/webhooks/worker.ts); here events are only queued.
 */

const endpointColumns = {
  id: webhookEndpoints.id,
  userId: webhookEndpoints.userId,
  organizationId: webhookEndpoints.organizationId,
  url: webhookEndpoints.url,
  description: webhookEndpoints.description,
  eventTypes: webhookEndpoints.eventTypes,
  enabled: webhookEndpoints.enabled,
  disabledReason: webhookEndpoints.disabledReason,
  disabledAt: webhookEndpoints.disabledAt,
  consecutiveFailures: webhookEndpoints.consecutiveFailures,
  lastSuccessAt: webhookEndpoints.lastSuccessAt,
  lastFailureAt: webhookEndpoints.lastFailureAt,
  createdAt: webhookEndpoints.createdAt,
};

type EndpointRow = Pick<typeof webhookEndpoints.$inferSelect, keyof typeof endpointColumns>;

function toEndpoint({ userId, ...row }: EndpointRow): WebhookEndpoint {
  return {
    ...row,
    owner: userId ? "user" : "workspace",
    eventTypes: row.eventTypes as WebhookEventType[],
  };
}

/** Standard Webhooks' secret form: `whsec_` and random bytes in base64. */
function newSecret(): string {
  return `whsec_${randomBytes(32).toString("base64")}`;
}

/** Refuses an address the server would not send to, with the reason, before it is saved. */
function checkTarget(url: string): void {
  try {
    refuseNonPublicHost(checkWebhookUrl(url), {
      allowPrivate: env.webhooks.allowPrivateTargets,
    });
  } catch (error) {
    if (error instanceof AddressRefused) {
      throw new AppError(
        "BAD_REQUEST",
        `Webhooks cannot be sent to this address: ${error.message}`,
        {
          issues: [{ path: ["url"], message: `Not a public address: ${error.message}` }],
        },
      );
    }
    throw error;
  }
  if (url.startsWith("http://") && !env.webhooks.allowPrivateTargets) {
    throw new AppError("BAD_REQUEST", "Webhook addresses must start with https://", {
      issues: [{ path: ["url"], message: "Must start with https://" }],
    });
  }
}

export interface WebhookCaller {
  userId: string;
  /** The workspace the request runs in (workspace endpoints belong to it). */
  organizationId: string | null;
}

function ownerCondition(caller: WebhookCaller, owner: "user" | "workspace"): SQL | undefined {
  if (owner === "user") return eq(webhookEndpoints.userId, caller.userId);
  if (!caller.organizationId) return sql`false`;
  return and(
    isNull(webhookEndpoints.userId),
    eq(webhookEndpoints.organizationId, caller.organizationId),
  );
}

export async function listWebhookEndpoints(
  tx: Tx,
  params: WebhookCaller & { owner: "user" | "workspace" },
): Promise<WebhookEndpoint[]> {
  const rows = await tx
    .select(endpointColumns)
    .from(webhookEndpoints)
    .where(ownerCondition(params, params.owner))
    .orderBy(desc(webhookEndpoints.createdAt), desc(webhookEndpoints.id));
  return rows.map(toEndpoint);
}

async function loadEndpoint(tx: Tx, id: string): Promise<WebhookEndpoint> {
  const [row] = await tx
    .select(endpointColumns)
    .from(webhookEndpoints)
    .where(eq(webhookEndpoints.id, id));
  if (!row) throw new AppError("NOT_FOUND", "No such webhook endpoint");
  return toEndpoint(row);
}

export async function getWebhookEndpoint(tx: Tx, params: { id: string }): Promise<WebhookEndpoint> {
  return loadEndpoint(tx, params.id);
}

/** Makes an endpoint; its secret is returned now and on rotation, never read back. */
export async function createWebhookEndpoint(
  tx: Tx,
  params: WebhookCaller & {
    owner: "user" | "workspace";
    url: string;
    description: string;
    eventTypes: WebhookEventType[];
  },
): Promise<{ endpoint: WebhookEndpoint; secret: string }> {
  checkTarget(params.url);
  if (params.owner === "workspace" && !params.organizationId) {
    throw new AppError("BAD_REQUEST", "Open a workspace to add a webhook to it");
  }
  const secret = newSecret();
  // Only the columns a request may write are named: the rest are the table's (and the guard's).
  const [row] = await queryRows<{ id: string }>(
    tx,
    sql`insert into public.webhook_endpoints
          ("userId", "organizationId", url, description, secret, "eventTypes")
        values (${params.owner === "user" ? params.userId : null}::uuid,
          ${params.owner === "workspace" ? params.organizationId : null}::uuid,
          ${params.url}, ${params.description}, ${secret},
          ${`{${params.eventTypes.join(",")}}`}::text[])
        returning id`,
  )
    .catch(
      refusedOverLimit(`At most ${MAX_WEBHOOK_ENDPOINTS} webhook endpoints each; delete one first`),
    )
    .catch((error: unknown) => {
      // A workspace endpoint the caller does not administer: the policy refuses the row.
      if (params.owner === "workspace" && sqlState(error) === "42501") {
        throw new AppError(
          "FORBIDDEN",
          "Only the workspace's owners and admins manage its webhooks",
        );
      }
      throw error;
    });
  if (!row) throw new AppError("INTERNAL_SERVER_ERROR", "Webhook endpoint was not created");
  return { endpoint: await loadEndpoint(tx, row.id), secret };
}

export async function updateWebhookEndpoint(
  tx: Tx,
  params: {
    id: string;
    url?: string;
    description?: string;
    eventTypes?: WebhookEventType[];
    enabled?: boolean;
  },
): Promise<WebhookEndpoint> {
  if (params.url !== undefined) checkTarget(params.url);
  const changes = {
    ...(params.url !== undefined ? { url: params.url } : {}),
    ...(params.description !== undefined ? { description: params.description } : {}),
    ...(params.eventTypes !== undefined ? { eventTypes: params.eventTypes } : {}),
    ...(params.enabled !== undefined ? { enabled: params.enabled } : {}),
  };
  if (Object.keys(changes).length === 0) return loadEndpoint(tx, params.id);
  const [row] = await tx
    .update(webhookEndpoints)
    .set(changes)
    .where(eq(webhookEndpoints.id, params.id))
    .returning(endpointColumns);
  if (!row) throw new AppError("NOT_FOUND", "No such webhook endpoint");
  return toEndpoint(row);
}

export async function rotateWebhookSecret(
  tx: Tx,
  params: { id: string },
): Promise<{ endpoint: WebhookEndpoint; secret: string }> {
  const secret = newSecret();
  const [row] = await tx
    .update(webhookEndpoints)
    .set({ secret })
    .where(eq(webhookEndpoints.id, params.id))
    .returning(endpointColumns);
  if (!row) throw new AppError("NOT_FOUND", "No such webhook endpoint");
  return { endpoint: toEndpoint(row), secret };
}

export async function deleteWebhookEndpoint(
  tx: Tx,
  params: { id: string },
): Promise<WebhookEndpoint> {
  const [row] = await tx
    .delete(webhookEndpoints)
    .where(eq(webhookEndpoints.id, params.id))
    .returning(endpointColumns);
  if (!row) throw new AppError("NOT_FOUND", "No such webhook endpoint");
  return toEndpoint(row);
}

const deliveryColumns = {
  id: webhookDeliveries.id,
  endpointId: webhookDeliveries.endpointId,
  eventId: webhookDeliveries.eventId,
  eventType: webhookDeliveries.eventType,
  chatId: webhookDeliveries.chatId,
  payload: webhookDeliveries.payload,
  status: webhookDeliveries.status,
  attempts: webhookDeliveries.attempts,
  nextAttemptAt: webhookDeliveries.nextAttemptAt,
  lastAttemptAt: webhookDeliveries.lastAttemptAt,
  responseStatus: webhookDeliveries.responseStatus,
  lastError: webhookDeliveries.lastError,
  occurredAt: webhookDeliveries.occurredAt,
  settledAt: webhookDeliveries.settledAt,
};

/** An endpoint's deliveries, newest first; NOT_FOUND for an endpoint the caller may not see. */
export async function listWebhookDeliveries(
  tx: Tx,
  params: { endpointId: string; status?: WebhookDeliveryStatus; before?: number; limit: number },
): Promise<WebhookDelivery[]> {
  await loadEndpoint(tx, params.endpointId);
  return tx
    .select(deliveryColumns)
    .from(webhookDeliveries)
    .where(
      and(
        eq(webhookDeliveries.endpointId, params.endpointId),
        params.status ? eq(webhookDeliveries.status, params.status) : undefined,
        params.before ? lt(webhookDeliveries.id, params.before) : undefined,
      ),
    )
    .orderBy(desc(webhookDeliveries.id))
    .limit(params.limit);
}

/** Queues a `webhook.test` event for the endpoint; returns the delivery's id. */
export async function sendWebhookTest(
  tx: Tx,
  params: { id: string },
): Promise<{ deliveryId: number }> {
  const [row] = await queryRows<{ id: string | number }>(
    tx,
    sql`select public.queue_webhook_test(${params.id}::uuid) as id`,
  );
  return { deliveryId: Number(row!.id) };
}

/** Sends a settled delivery again, under its event's id. */
export async function redeliverWebhook(tx: Tx, params: { id: number }): Promise<{ id: number }> {
  await tx.execute(sql`select public.redeliver_webhook(${params.id}::bigint)`);
  return { id: params.id };
}
