import "server-only";

import { sql, type SQL } from "drizzle-orm";
import { queryRows, toDate } from "@/db/rows";
import { queueSecurityNotice } from "@/server/accounts/security-notice-queue";
import type { Tx } from "@/db/types";
import { AppError } from "@/server/errors";
import type {
  AdminListUsersParams,
  AdminUser,
  AdminUserPage,
  UserRole,
  UserSort,
} from "@/contracts/admin";
import { containsPattern } from "./like-pattern";

interface UserRow {
  id: string;
  name: string;
  email: string | null;
  image: string | null;
  role: string;
  banned: boolean;
  banReason: string | null;
  banExpires: Date | string | null;
  createdAt: Date | string;
  lastActiveAt: Date | string | null;
  twoFactorEnabled: boolean | null;
  deletionScheduledFor: Date | string | null;
  deletedAt: Date | string | null;
}

/** Banned now: Better Auth lifts an expired ban at the user's next sign-in. */
const BANNED_NOW = sql`(u.banned and (b."banExpires" is null or b."banExpires" > now()))`;
const IS_ADMIN_ROLE = sql`('admin' = any(string_to_array(u.role, ',')))`;

const SORT_COLUMN: Record<UserSort, SQL> = {
  name: sql`lower(u.name)`,
  email: sql`lower(public.user_email(u.id))`,
  createdAt: sql`u."createdAt"`,
  lastActive: sql`public.user_last_active(u.id)`,
};

function roleOf(role: string): UserRole {
  return role.split(",").includes("admin") ? "admin" : "user";
}

/**
 * Every user, for the admin's users table: through the admins' RLS policy on `user`, with
 * email, ban details and last activity from functions that answer admins only. Offset pages
 * with a total, so the table can show "21–40 of 57".
 */
export async function adminListUsers(tx: Tx, params: AdminListUsersParams): Promise<AdminUserPage> {
  const filters: SQL[] = [];
  if (params.search) {
    const pattern = containsPattern(params.search);
    filters.push(sql`(u.name ilike ${pattern} or public.user_email(u.id) ilike ${pattern})`);
  }
  if (params.role === "admin") filters.push(IS_ADMIN_ROLE);
  if (params.role === "user") filters.push(sql`not ${IS_ADMIN_ROLE}`);
  if (params.status === "banned") filters.push(BANNED_NOW);
  if (params.status === "active") filters.push(sql`not ${BANNED_NOW}`);
  const where = filters.length ? sql`where ${sql.join(filters, sql` and `)}` : sql``;
  const from = sql`from public."user" u left join lateral public.user_ban_details(u.id) b on true`;

  const [count] = await queryRows<{ total: number }>(
    tx,
    sql`select count(*)::int as total ${from} ${where}`,
  );
  const direction = params.direction === "asc" ? sql`asc` : sql`desc`;
  const rows = await queryRows<UserRow>(
    tx,
    sql`select u.id, u.name, public.user_email(u.id) as email, u.image, u.role,
          ${BANNED_NOW} as banned, b."banReason", b."banExpires", u."createdAt",
          public.user_last_active(u.id) as "lastActiveAt",
          public.user_two_factor_enabled(u.id) as "twoFactorEnabled",
          d."eraseAfter" as "deletionScheduledFor", u."deletedAt"
        ${from} left join public.account_deletions d on d."userId" = u.id ${where}
        order by ${SORT_COLUMN[params.sort]} ${direction} nulls last, u.id ${direction}
        limit ${params.pageSize} offset ${(params.page - 1) * params.pageSize}`,
  );
  return {
    items: rows.map((row): AdminUser => ({
      id: row.id,
      name: row.name,
      email: row.email ?? "",
      image: row.image,
      role: roleOf(row.role),
      banned: row.banned,
      banReason: row.banned ? row.banReason : null,
      banExpires: row.banned ? toDate(row.banExpires) : null,
      createdAt: toDate(row.createdAt),
      lastActiveAt: toDate(row.lastActiveAt),
      twoFactorEnabled: row.twoFactorEnabled === true,
      deletionScheduledFor: toDate(row.deletionScheduledFor),
      deletedAt: toDate(row.deletedAt),
    })),
    total: count?.total ?? 0,
    page: params.page,
    pageSize: params.pageSize,
  };
}

/**
 * Turns two-factor off for someone locked out of it (a lost phone and lost backup codes): the
 * database function checks the caller is a site admin and not the person themself, and
 * forgets the secret, the codes and the trusted devices.
 */
export async function adminResetTwoFactor(
  tx: Tx,
  params: { userId: string },
): Promise<{ wasEnabled: boolean }> {
  const [row] = await queryRows<{ wasEnabled: boolean | null }>(
    tx,
    sql`select public.admin_reset_two_factor(${params.userId}) as "wasEnabled"`,
  );
  if (row?.wasEnabled === null || row?.wasEnabled === undefined) {
    throw new AppError("NOT_FOUND", "No such user");
  }
  if (row.wasEnabled) {
    queueSecurityNotice(tx, { userId: params.userId, change: "two_factor_reset" });
  }
  return { wasEnabled: row.wasEnabled };
}
