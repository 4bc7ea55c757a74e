import "server-only";

import { z } from "zod";
import {
  createWebhookInput,
  deliveryIdInput,
  listDeliveriesInput,
  listWebhooksInput,
  updateWebhookInput,
  webhookDeliverySchema,
  webhookEndpointSchema,
  webhookIdInput,
  webhookWithSecretSchema,
} from "@/contracts/webhooks";
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
import { auditedProcedure, createTRPCRouter, protectedProcedure } from "@/server/trpc/init";

/** The caller, in the workspace their session has open (workspace endpoints belong to it). */
const caller = (ctx: {
  user: { id: string };
  session: { session: { activeOrganizationId?: string | null } };
}) => ({ userId: ctx.user.id, organizationId: ctx.session.session.activeOrganizationId ?? null });

export const webhooksRouter = createTRPCRouter({
  list: protectedProcedure
    .input(listWebhooksInput)
    .output(z.array(webhookEndpointSchema))
    .query(({ ctx, input }) =>
      listWebhookEndpoints(ctx.tx, { ...caller(ctx), owner: input.owner }),
    ),

  get: protectedProcedure
    .input(webhookIdInput)
    .output(webhookEndpointSchema)
    .query(({ ctx, input }) => getWebhookEndpoint(ctx.tx, input)),

  create: auditedProcedure
    .input(createWebhookInput)
    .output(webhookWithSecretSchema)
    .mutation(async ({ ctx, input }) => {
      const created = await createWebhookEndpoint(ctx.tx, { ...caller(ctx), ...input });
      ctx.audit.details = {
        action: "webhook.created",
        endpointId: created.endpoint.id,
        // The origin only: an address's path or query may carry a receiver's token.
        origin: new URL(input.url).origin,
      };
      return created;
    }),

  update: auditedProcedure
    .input(updateWebhookInput)
    .output(webhookEndpointSchema)
    .mutation(async ({ ctx, input }) => {
      ctx.audit.details = { action: "webhook.updated", endpointId: input.id };
      return updateWebhookEndpoint(ctx.tx, input);
    }),

  rotateSecret: auditedProcedure
    .input(webhookIdInput)
    .output(webhookWithSecretSchema)
    .mutation(async ({ ctx, input }) => {
      ctx.audit.details = { action: "webhook.secret_rotated", endpointId: input.id };
      return rotateWebhookSecret(ctx.tx, input);
    }),

  delete: auditedProcedure
    .input(webhookIdInput)
    .output(webhookEndpointSchema)
    .mutation(async ({ ctx, input }) => {
      ctx.audit.details = { action: "webhook.deleted", endpointId: input.id };
      return deleteWebhookEndpoint(ctx.tx, input);
    }),

  deliveries: protectedProcedure
    .input(listDeliveriesInput)
    .output(z.array(webhookDeliverySchema))
    .query(({ ctx, input }) => listWebhookDeliveries(ctx.tx, input)),

  sendTest: auditedProcedure
    .input(webhookIdInput)
    .output(z.object({ deliveryId: z.number().int() }))
    .mutation(async ({ ctx, input }) => {
      ctx.audit.details = { action: "webhook.test_sent", endpointId: input.id };
      return sendWebhookTest(ctx.tx, input);
    }),

  redeliver: auditedProcedure
    .input(deliveryIdInput)
    .output(z.object({ id: z.number().int() }))
    .mutation(async ({ ctx, input }) => {
      ctx.audit.details = { action: "webhook.redelivered", deliveryId: input.id };
      return redeliverWebhook(ctx.tx, input);
    }),
});
