import "server-only";

import { z } from "zod";
import {
  apiKeyIdInput,
  apiKeySchema,
  apiKeyUsageInput,
  apiKeyUsageSchema,
  createApiKeyInput,
  createdApiKeySchema,
  rotateApiKeyInput,
} from "@/contracts/api-keys";
import {
  apiKeyUsage,
  createApiKey,
  listApiKeys,
  revokeApiKey,
  rotateApiKey,
} from "@/server/services/api-keys";
import { auditedProcedure, createTRPCRouter, protectedProcedure } from "@/server/trpc/init";

export const apiKeysRouter = createTRPCRouter({
  list: protectedProcedure
    .output(z.array(apiKeySchema))
    .query(({ ctx }) => listApiKeys(ctx.tx, { userId: ctx.user.id })),

  create: auditedProcedure
    .meta({ budget: "apiKeys" })
    .input(createApiKeyInput)
    .output(createdApiKeySchema)
    .mutation(async ({ ctx, input }) => {
      const created = await createApiKey(ctx.tx, { userId: ctx.user.id, ...input });
      ctx.audit.apiKeyId = created.apiKey.id;
      ctx.audit.details = {
        action: "api_key.created",
        keyId: created.apiKey.id,
        name: created.apiKey.name,
        prefix: created.apiKey.prefix,
        scopes: created.apiKey.scopes,
      };
      return created;
    }),

  revoke: auditedProcedure
    .input(apiKeyIdInput)
    .output(apiKeySchema)
    .mutation(async ({ ctx, input }) => {
      ctx.audit.details = { action: "api_key.revoked", keyId: input.id };
      const { userId: _owner, ...key } = await revokeApiKey(ctx.tx, {
        id: input.id,
        ownerId: ctx.user.id,
      });
      ctx.audit.apiKeyId = key.id;
      ctx.audit.details = {
        action: "api_key.revoked",
        keyId: key.id,
        name: key.name,
        prefix: key.prefix,
      };
      return key;
    }),

  rotate: auditedProcedure
    .meta({ budget: "apiKeys" })
    .input(rotateApiKeyInput)
    .output(createdApiKeySchema.extend({ previous: apiKeySchema }))
    .mutation(async ({ ctx, input }) => {
      ctx.audit.details = { action: "api_key.rotated", keyId: input.id };
      const rotated = await rotateApiKey(ctx.tx, { userId: ctx.user.id, ...input });
      ctx.audit.apiKeyId = rotated.apiKey.id;
      ctx.audit.details = {
        action: "api_key.rotated",
        keyId: rotated.apiKey.id,
        previousKeyId: rotated.previous.id,
        name: rotated.apiKey.name,
        previousPrefix: rotated.previous.prefix,
        prefix: rotated.apiKey.prefix,
        graceHours: input.graceHours,
      };
      return rotated;
    }),

  usage: protectedProcedure
    .input(apiKeyUsageInput)
    .output(apiKeyUsageSchema)
    .query(({ ctx, input }) => apiKeyUsage(ctx.tx, { userId: ctx.user.id, ...input })),
});
