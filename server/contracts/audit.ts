import { z } from "zod";

export const STATUS_CLASSES = ["2xx", "3xx", "4xx", "5xx"] as const;

export const auditFiltersSchema = z
  .object({
    apiKeyId: z.uuid().optional(),
    status: z.enum(STATUS_CLASSES).optional(),
    method: z
      .string()
      .trim()
      .toUpperCase()
      .regex(/^[A-Z]{3,7}$/, "An HTTP method or TRPC")
      .optional(),
    endpoint: z.string().trim().max(200).optional(),
    from: z.coerce.date().optional(),
    to: z.coerce.date().optional(),
  })
  .strict();
export type AuditFilters = z.infer<typeof auditFiltersSchema>;

export const listAuditInput = auditFiltersSchema
  .extend({
    cursor: z.string().max(200).optional(),
    limit: z.number().int().min(1).max(200).default(50),
  })
  .strict()
  .default({ limit: 50 });

export const adminListAuditInput = listAuditInput
  .unwrap()
  .extend({ userId: z.uuid().optional() })
  .strict()
  .default({ limit: 50 });

export const auditRowSchema = z.object({
  id: z.uuid(),
  apiKeyId: z.uuid().nullable(),
  userId: z.uuid().nullable(),
  actorId: z.uuid().nullable(),
  endpoint: z.string(),
  method: z.string(),
  statusCode: z.number().int(),
  responseTime: z.number().int().nullable(),
  ipAddress: z.string().nullable(),
  userAgent: z.string().nullable(),
  details: z.record(z.string(), z.unknown()).nullable(),
  createdAt: z.date(),
});
export type AuditRow = z.infer<typeof auditRowSchema>;

export const auditPageSchema = z.object({
  items: z.array(auditRowSchema),
  nextCursor: z.string().nullable(),
});
