import { z } from "zod";
import { dateInput } from "@/contracts/dates";
import { pagingDirectionSchema } from "./audit";

/** What a key may do. Every REST v1 route names the one scope it needs. */
export const API_SCOPES = [
  "profile:read",
  "metas:read",
  "metas:write",
  "chats:read",
  "chats:write",
  "messages:read",
  "messages:write",
  "audit:read",
  "realtime:connect",
  "webhooks:read",
  "webhooks:write",
] as const;
export type ApiScope = (typeof API_SCOPES)[number];

export const SCOPE_DESCRIPTIONS: Record<ApiScope, string> = {
  "profile:read": "Read your profile",
  "metas:read": "Read your preferences and profile fields",
  "metas:write": "Create, change and delete your preferences and profile fields",
  "chats:read": "List your chats and read their members",
  "chats:write": "Start direct chats and create groups as you",
  "messages:read": "Read messages in your chats",
  "messages:write": "Send, edit, delete and react to messages as you",
  "audit:read": "Read your own audit log",
  "realtime:connect":
    "Get realtime tokens: live updates for your chats, typing and presence, as in the app",
  "webhooks:read":
    "List your webhook endpoints, and your workspace's as its admin, with their deliveries",
  "webhooks:write":
    "Add, change, test and remove webhook endpoints, rotate their secrets, redeliver",
};

export const MAX_GRACE_HOURS = 168;
/** The longest a key may live: ten years. */
export const MAX_KEY_DAYS = 3650;
const DAY_MS = 86_400_000;

export const createApiKeyInput = z
  .object({
    name: z
      .string()
      .trim()
      .min(1, "Name is required")
      .max(100, "Name must be at most 100 characters"),
    scopes: z
      .array(z.enum(API_SCOPES))
      .min(1, "Choose at least one scope")
      .transform((s) => [...new Set(s)]),
    expiresInDays: z
      .number()
      .int()
      .min(1, "A key lasts at least 1 day")
      .max(MAX_KEY_DAYS, "A key lasts at most 10 years")
      .optional(),
    /** An exact expiry instead of `expiresInDays` (a custom date picked in the app). */
    expiresAt: dateInput().optional(),
    /** Requests per minute; at most the server's default. */
    rateLimit: z.number().int().min(1).max(100_000).optional(),
  })
  .strict()
  .refine((v) => v.expiresInDays === undefined || v.expiresAt === undefined, {
    message: "Choose either a number of days or a date",
    path: ["expiresAt"],
  })
  .refine((v) => v.expiresAt === undefined || v.expiresAt.getTime() > Date.now(), {
    message: "The expiry date must be in the future",
    path: ["expiresAt"],
  })
  .refine(
    (v) => v.expiresAt === undefined || v.expiresAt.getTime() <= Date.now() + MAX_KEY_DAYS * DAY_MS,
    { message: "A key lasts at most 10 years", path: ["expiresAt"] },
  );
export type CreateApiKeyInput = z.infer<typeof createApiKeyInput>;

export const apiKeySchema = z.object({
  id: z.uuid(),
  name: z.string(),
  prefix: z.string(),
  scopes: z.array(z.string()),
  rateLimit: z.number().nullable(),
  lastUsed: z.date().nullable(),
  expiresAt: z.date().nullable(),
  revoked: z.boolean(),
  revokedAt: z.date().nullable(),
  createdAt: z.date(),
  /** The workspace the key works in (REST calls run there); null once its owner left it. */
  workspaceName: z.string().nullable(),
});
export type ApiKey = z.infer<typeof apiKeySchema>;

export const createdApiKeySchema = z.object({
  apiKey: apiKeySchema,
  /** The whole key, shown this once: only its hash is stored. */
  secret: z.string(),
});

export const apiKeyIdInput = z.object({ id: z.uuid() }).strict();

export const rotateApiKeyInput = z
  .object({
    id: z.uuid(),
    graceHours: z
      .number("Enter a number of hours")
      .int("Whole hours only")
      .min(0, "At least 0 hours")
      .max(MAX_GRACE_HOURS, `At most ${MAX_GRACE_HOURS} hours (7 days)`)
      .default(24),
  })
  .strict();

export const apiKeyUsageInput = z
  .object({ id: z.uuid().optional(), from: dateInput(), to: dateInput() })
  .strict()
  .refine((v) => v.from <= v.to, { message: "from must be before to", path: ["from"] })
  .refine((v) => v.to.getTime() - v.from.getTime() <= 366 * 86_400_000, {
    message: "A usage range spans at most 366 days",
    path: ["to"],
  });

export const apiKeyUsageSchema = z.object({
  days: z.array(
    z.object({
      day: z.string(),
      requests: z.number().int(),
      success: z.number().int(),
      clientErrors: z.number().int(),
      serverErrors: z.number().int(),
      p50: z.number().nullable(),
      p95: z.number().nullable(),
    }),
  ),
  totals: z.object({
    requests: z.number().int(),
    success: z.number().int(),
    clientErrors: z.number().int(),
    serverErrors: z.number().int(),
    p50: z.number().nullable(),
    p95: z.number().nullable(),
  }),
});

export const adminListApiKeysInput = z
  .object({
    userId: z.uuid().optional(),
    status: z.enum(["active", "revoked", "expired"]).optional(),
    /** Matches the key's name or prefix, or its owner's name or email. */
    search: z.string().trim().max(100).optional(),
    cursor: z.string().max(200).optional(),
    direction: pagingDirectionSchema,
    limit: z.number().int().min(1).max(100).default(50),
  })
  .strict()
  .default({ limit: 50 });

export const adminApiKeySchema = apiKeySchema.extend({
  userId: z.uuid(),
  ownerName: z.string().nullable(),
  ownerEmail: z.string().nullable(),
});

export const adminApiKeyListSchema = z.object({
  items: z.array(adminApiKeySchema),
  nextCursor: z.string().nullable(),
});
