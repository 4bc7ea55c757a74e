import { z } from "zod";
import { dateInput } from "@/contracts/dates";

/** tRPC's infinite queries add the paging direction to a cursor input; pages only go forward. */
export const pagingDirectionSchema = z.enum(["forward", "backward"]).optional();

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
    from: dateInput().optional(),
    to: dateInput().optional(),
  })
  .strict();
export type AuditFilters = z.infer<typeof auditFiltersSchema>;

export const listAuditInput = auditFiltersSchema
  .extend({
    cursor: z.string().max(200).optional(),
    direction: pagingDirectionSchema,
    limit: z.number().int().min(1).max(200).default(50),
  })
  .strict()
  .default({ limit: 50 });

/** The admin's extra filters over the whole log: one user by id, or by name/email. */
const adminUserFilters = {
  userId: z.uuid().optional(),
  user: z.string().trim().max(100).optional(),
};

export const adminAuditFiltersSchema = auditFiltersSchema.extend(adminUserFilters).strict();
export type AdminAuditFilters = z.infer<typeof adminAuditFiltersSchema>;

export const adminListAuditInput = listAuditInput
  .unwrap()
  .extend(adminUserFilters)
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
  /** How many requests the row stands for: more than 1 only for requests without a valid key. */
  requestCount: z.number().int().min(1),
  createdAt: z.date(),
});
export type AuditRow = z.infer<typeof auditRowSchema>;

export const auditPageSchema = z.object({
  items: z.array(auditRowSchema),
  nextCursor: z.string().nullable(),
});

/** A row as the app lists it: with the key's and the user's names beside their ids. */
export const auditViewRowSchema = auditRowSchema.extend({
  keyName: z.string().nullable(),
  keyPrefix: z.string().nullable(),
  userName: z.string().nullable(),
  userEmail: z.string().nullable(),
});
export type AuditViewRow = z.infer<typeof auditViewRowSchema>;

export const auditViewPageSchema = z.object({
  items: z.array(auditViewRowSchema),
  nextCursor: z.string().nullable(),
});
