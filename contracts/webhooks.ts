import { z } from "zod";

/** The events an endpoint may subscribe to (drizzle/0051_webhooks.sql keeps the same list). */
export const WEBHOOK_EVENT_TYPES = [
  "message.created",
  "message.edited",
  "message.deleted",
  "member.joined",
  "member.left",
  "reaction.added",
  "reaction.removed",
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** What "send test event" sends; never subscribed to, always delivered. */
export const WEBHOOK_TEST_EVENT = "webhook.test";

export const WEBHOOK_DELIVERY_STATUSES = ["pending", "succeeded", "failed", "skipped"] as const;
export type WebhookDeliveryStatus = (typeof WEBHOOK_DELIVERY_STATUSES)[number];

/** At most this many endpoints per person and per workspace (the database enforces it). */
export const MAX_WEBHOOK_ENDPOINTS = 10;

const urlSchema = z
  .string()
  .trim()
  .max(2048)
  .refine((value) => URL.canParse(value), "Must be an address")
  .refine((value) => /^https?:\/\//i.test(value), "Must start with https://");

const eventTypesSchema = z
  .array(z.enum(WEBHOOK_EVENT_TYPES))
  .min(1, "Pick at least one event")
  .max(WEBHOOK_EVENT_TYPES.length)
  .transform((types) => [...new Set(types)]);

/** Whose endpoint: the caller's own, or the workspace their request runs in. */
export const webhookOwnerSchema = z.enum(["user", "workspace"]);

export const createWebhookInput = z.object({
  owner: webhookOwnerSchema.default("user"),
  url: urlSchema,
  description: z.string().trim().max(200).default(""),
  eventTypes: eventTypesSchema,
});

export const updateWebhookInput = z.object({
  id: z.uuid(),
  url: urlSchema.optional(),
  description: z.string().trim().max(200).optional(),
  eventTypes: eventTypesSchema.optional(),
  enabled: z.boolean().optional(),
});

export const webhookIdInput = z.object({ id: z.uuid() });

export const listWebhooksInput = z.object({ owner: webhookOwnerSchema.default("user") });

export const webhookEndpointSchema = z.object({
  id: z.uuid(),
  owner: webhookOwnerSchema,
  organizationId: z.uuid().nullable(),
  url: z.string(),
  description: z.string(),
  eventTypes: z.array(z.enum(WEBHOOK_EVENT_TYPES)),
  enabled: z.boolean(),
  disabledReason: z.string().nullable(),
  disabledAt: z.date().nullable(),
  consecutiveFailures: z.number().int(),
  lastSuccessAt: z.date().nullable(),
  lastFailureAt: z.date().nullable(),
  createdAt: z.date(),
});
export type WebhookEndpoint = z.infer<typeof webhookEndpointSchema>;

/** An endpoint with its signing secret: only when it is made or its secret rotated. */
export const webhookWithSecretSchema = z.object({
  endpoint: webhookEndpointSchema,
  secret: z.string(),
});

export const listDeliveriesInput = z.object({
  endpointId: z.uuid(),
  status: z.enum(WEBHOOK_DELIVERY_STATUSES).optional(),
  /** The id of the last delivery of the previous page (newest first). */
  before: z.number().int().positive().optional(),
  limit: z.number().int().min(1).max(100).default(50),
});

export const webhookDeliverySchema = z.object({
  id: z.number().int(),
  endpointId: z.uuid(),
  eventId: z.uuid(),
  eventType: z.string(),
  chatId: z.uuid().nullable(),
  payload: z.unknown(),
  status: z.enum(WEBHOOK_DELIVERY_STATUSES),
  attempts: z.number().int(),
  nextAttemptAt: z.date(),
  lastAttemptAt: z.date().nullable(),
  responseStatus: z.number().int().nullable(),
  lastError: z.string().nullable(),
  occurredAt: z.date(),
  settledAt: z.date().nullable(),
});
export type WebhookDelivery = z.infer<typeof webhookDeliverySchema>;

export const deliveryIdInput = z.object({ id: z.number().int().positive() });
