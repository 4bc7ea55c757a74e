import { z } from "zod";

/** Roles an admin can give; Better Auth stores them in `user.role`. */
export const USER_ROLES = ["user", "admin"] as const;
export type UserRole = (typeof USER_ROLES)[number];

export const USER_SORTS = ["name", "email", "createdAt", "lastActive"] as const;
export type UserSort = (typeof USER_SORTS)[number];

export const ADMIN_USERS_PAGE_SIZE = 20;

export const adminListUsersInput = z
  .object({
    search: z.string().trim().max(200, "Search for at most 200 characters").optional(),
    role: z.enum(["all", ...USER_ROLES]).default("all"),
    status: z.enum(["all", "active", "banned"]).default("all"),
    sort: z.enum(USER_SORTS).default("createdAt"),
    direction: z.enum(["asc", "desc"]).default("desc"),
    page: z.number().int().min(1).max(100_000).default(1),
    pageSize: z.number().int().min(1).max(100).default(ADMIN_USERS_PAGE_SIZE),
  })
  .strict();
export type AdminListUsersInput = z.input<typeof adminListUsersInput>;
export type AdminListUsersParams = z.output<typeof adminListUsersInput>;

export const adminUserSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  email: z.string(),
  image: z.string().nullable(),
  role: z.enum(USER_ROLES),
  /** Banned now: a ban whose end has passed no longer counts. */
  banned: z.boolean(),
  banReason: z.string().nullable(),
  banExpires: z.date().nullable(),
  createdAt: z.date(),
  lastActiveAt: z.date().nullable(),
  /** Signs in with a second factor (an authenticator app). */
  twoFactorEnabled: z.boolean(),
  /** When a pending deletion will erase the account, unless they sign in first. */
  deletionScheduledFor: z.date().nullable(),
  /** When the account was erased: the row is a "Deleted user" tombstone. */
  deletedAt: z.date().nullable(),
});
export type AdminUser = z.infer<typeof adminUserSchema>;

export const adminUserPageSchema = z.object({
  items: z.array(adminUserSchema),
  total: z.number().int().min(0),
  page: z.number().int().min(1),
  pageSize: z.number().int().min(1),
});
export type AdminUserPage = z.infer<typeof adminUserPageSchema>;

/** The reason shown to a banned user at sign-in; Parley checks it before Better Auth bans. */
export const banReasonSchema = z
  .string()
  .trim()
  .min(3, "Give a reason of at least 3 characters: the user sees it when signing in")
  .max(500, "Keep the reason under 500 characters");

const isoDay = /^\d{4}-\d{2}-\d{2}$/;

/** The ban dialog: a reason, and optionally the last day of the ban (a date, UTC). */
export const banUserForm = z
  .object({
    reason: banReasonSchema,
    until: z
      .string()
      .trim()
      .refine((value) => value === "" || isoDay.test(value), "Pick a date")
      .refine(
        (value) => value === "" || new Date(`${value}T23:59:59Z`).getTime() > Date.now(),
        "The ban must end in the future",
      ),
  })
  .strict();
export type BanUserForm = z.infer<typeof banUserForm>;

/** Seconds from now until the end (23:59:59 UTC) of the chosen day, as Better Auth wants it. */
export function banSecondsUntil(until: string, now = Date.now()): number | undefined {
  if (!until) return undefined;
  return Math.max(60, Math.round((new Date(`${until}T23:59:59Z`).getTime() - now) / 1000));
}

/** The admin overview's window, in UTC days. */
export const ADMIN_OVERVIEW_DAYS = 30;

export const adminStatsInput = z
  .object({ days: z.number().int().min(7).max(90).default(30) })
  .strict()
  .default({ days: 30 });

const dayKey = z.string().regex(isoDay);

export const requestsDaySchema = z.object({
  day: dayKey,
  success: z.number().int(),
  clientErrors: z.number().int(),
  serverErrors: z.number().int(),
});
export type RequestsDay = z.infer<typeof requestsDaySchema>;

export const adminOverviewSchema = z.object({
  users: z.object({ total: z.number().int(), newThisWeek: z.number().int() }),
  messages: z.object({ today: z.number().int(), last7Days: z.number().int() }),
  requests: z.object({
    last7Days: z.number().int(),
    errors7Days: z.number().int(),
    /** Share of 4xx and 5xx among the last 7 days' requests; null without requests. */
    errorRate: z.number().min(0).max(1).nullable(),
  }),
  /** One entry per UTC day, oldest first, days without rows as zero. */
  days: z.array(
    requestsDaySchema.extend({ messages: z.number().int(), newUsers: z.number().int() }),
  ),
});
export type AdminOverview = z.infer<typeof adminOverviewSchema>;

export const adminUserIdInput = z.object({ userId: z.uuid() });

/** Whether the person had two-factor on before the reset. */
export const resetTwoFactorResultSchema = z.object({ wasEnabled: z.boolean() });
