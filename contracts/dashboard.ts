import { z } from "zod";
import { requestsDaySchema } from "./admin";

export const DASHBOARD_DAYS = 14;

export const KEY_EVENT_ACTIONS = ["api_key.created", "api_key.rotated", "api_key.revoked"] as const;

export const dashboardSummarySchema = z.object({
  chats: z.number().int().min(0),
  requests: z.object({
    last7Days: z.number().int().min(0),
    errors7Days: z.number().int().min(0),
    /** Share of 4xx and 5xx among my last 7 days' requests; null without requests. */
    errorRate: z.number().min(0).max(1).nullable(),
  }),
  /** My REST requests per UTC day, oldest first, days without requests as zero. */
  days: z.array(requestsDaySchema),
  recentMessages: z.array(
    z.object({
      id: z.uuid(),
      chatId: z.uuid(),
      chatTitle: z.string(),
      senderId: z.uuid().nullable(),
      senderName: z.string(),
      preview: z.string(),
      createdAt: z.date(),
    }),
  ),
  keyEvents: z.array(
    z.object({
      id: z.uuid(),
      action: z.enum(KEY_EVENT_ACTIONS),
      keyName: z.string().nullable(),
      keyPrefix: z.string().nullable(),
      /** An admin, when someone else acted on my key. */
      byAdmin: z.boolean(),
      createdAt: z.date(),
    }),
  ),
});
export type DashboardSummary = z.infer<typeof dashboardSummarySchema>;
