import "server-only";

import { z } from "zod";
import {
  createWebhookInput,
  listDeliveriesInput,
  updateWebhookInput,
  webhookDeliverySchema,
  webhookEndpointSchema,
  webhookOwnerSchema,
  webhookWithSecretSchema,
} from "@/contracts/webhooks";
import type { VerifiedKey } from "@/server/services/verify-api-key";
import {
  createWebhookEndpoint,
  deleteWebhookEndpoint,
  getWebhookEndpoint,
  listWebhookDeliveries,
  listWebhookEndpoints,
  redeliverWebhook,
  rotateWebhookSecret,
  sendWebhookTest,
  updateWebhookEndpoint,
} from "@/server/services/webhooks";
import { defineRoute } from "./define-route";

/**
 * REST v1 for webhook endpoints: the same services as tRPC `webhooks.*`, as the key's owner
 * in the key's workspace (a workspace's endpoints for its owners and admins). Docs:
 * docs/WEBHOOKS.md.
 */

const TAG = "Webhooks";
const endpointParams = z.object({ webhookId: z.uuid() });
const deliveryParams = z.object({ deliveryId: z.coerce.number().int().positive() });
const caller = (key: VerifiedKey) => ({ userId: key.userId, organizationId: key.organizationId });

export const listWebhooks = defineRoute({
  method: "GET",
  path: "/api/v1/webhooks",
  operationId: "listWebhooks",
  scope: "webhooks:read",
  tag: TAG,
  summary: "Your webhook endpoints, or your workspace's",
  query: z.object({ owner: webhookOwnerSchema.default("user") }),
  response: z.object({ items: z.array(webhookEndpointSchema) }),
  handler: async (tx, { key, query }) => ({
    items: await listWebhookEndpoints(tx, { ...caller(key), owner: query.owner }),
  }),
});

export const createWebhook = defineRoute({
  method: "POST",
  path: "/api/v1/webhooks",
  operationId: "createWebhook",
  scope: "webhooks:write",
  tag: TAG,
  summary: "Add an endpoint; its signing secret is in this answer only",
  body: createWebhookInput.strict(),
  response: webhookWithSecretSchema,
  status: 201,
  handler: (tx, { key, body }) => createWebhookEndpoint(tx, { ...caller(key), ...body }),
});

export const getWebhook = defineRoute({
  method: "GET",
  path: "/api/v1/webhooks/{webhookId}",
  operationId: "getWebhook",
  scope: "webhooks:read",
  tag: TAG,
  summary: "One endpoint",
  params: endpointParams,
  response: webhookEndpointSchema,
  handler: (tx, { params }) => getWebhookEndpoint(tx, { id: params.webhookId }),
});

export const updateWebhook = defineRoute({
  // Only the fields given change.
  method: "PATCH",
  path: "/api/v1/webhooks/{webhookId}",
  operationId: "updateWebhook",
  scope: "webhooks:write",
  tag: TAG,
  summary: "Change an endpoint's address, description, events, or turn it on or off",
  params: endpointParams,
  body: updateWebhookInput.omit({ id: true }).strict(),
  response: webhookEndpointSchema,
  handler: (tx, { params, body }) => updateWebhookEndpoint(tx, { id: params.webhookId, ...body }),
});

export const deleteWebhook = defineRoute({
  method: "DELETE",
  path: "/api/v1/webhooks/{webhookId}",
  operationId: "deleteWebhook",
  scope: "webhooks:write",
  tag: TAG,
  summary: "Delete an endpoint and its delivery log",
  params: endpointParams,
  status: 204,
  handler: async (tx, { params }) => {
    await deleteWebhookEndpoint(tx, { id: params.webhookId });
  },
});

export const rotateWebhook = defineRoute({
  method: "POST",
  path: "/api/v1/webhooks/{webhookId}/rotate-secret",
  operationId: "rotateWebhookSecret",
  scope: "webhooks:write",
  tag: TAG,
  summary: "Replace an endpoint's signing secret; the new one is in this answer only",
  params: endpointParams,
  response: webhookWithSecretSchema,
  handler: (tx, { params }) => rotateWebhookSecret(tx, { id: params.webhookId }),
});

export const testWebhook = defineRoute({
  method: "POST",
  path: "/api/v1/webhooks/{webhookId}/test",
  operationId: "sendWebhookTest",
  scope: "webhooks:write",
  tag: TAG,
  summary: "Queue a webhook.test event for an endpoint",
  params: endpointParams,
  response: z.object({ deliveryId: z.number().int() }),
  status: 201,
  handler: (tx, { params }) => sendWebhookTest(tx, { id: params.webhookId }),
});

export const listWebhookLog = defineRoute({
  method: "GET",
  path: "/api/v1/webhooks/{webhookId}/deliveries",
  operationId: "listWebhookDeliveries",
  scope: "webhooks:read",
  tag: TAG,
  summary: "An endpoint's deliveries, newest first",
  params: endpointParams,
  query: listDeliveriesInput.omit({ endpointId: true }).extend({
    before: z.coerce.number().int().positive().optional(),
    limit: z.coerce.number().int().min(1).max(100).default(50),
  }),
  response: z.object({ items: z.array(webhookDeliverySchema) }),
  handler: async (tx, { params, query }) => ({
    items: await listWebhookDeliveries(tx, { endpointId: params.webhookId, ...query }),
  }),
});

export const redeliverWebhookDelivery = defineRoute({
  method: "POST",
  path: "/api/v1/webhook-deliveries/{deliveryId}/redeliver",
  operationId: "redeliverWebhook",
  scope: "webhooks:write",
  tag: TAG,
  summary: "Send a settled delivery again, under its event's id",
  params: deliveryParams,
  response: z.object({ id: z.number().int() }),
  handler: (tx, { params }) => redeliverWebhook(tx, { id: params.deliveryId }),
});

export const WEBHOOK_ROUTES = [
  listWebhooks,
  createWebhook,
  getWebhook,
  updateWebhook,
  deleteWebhook,
  rotateWebhook,
  testWebhook,
  listWebhookLog,
  redeliverWebhookDelivery,
];
