import "server-only";

import { APIError, getSessionFromCtx } from "better-auth/api";
import { banReasonSchema, USER_ROLES } from "@/contracts/admin";
import { recordAuthAction } from "./auth-audit";
import type { AuthCallContext } from "./auth-call";

const GUARDED_PATHS = new Set(["/admin/set-role", "/admin/ban-user", "/admin/remove-user"]);

const REMOVE_USER_CLOSED =
  "Accounts are not removed outright: start their deletion instead, which erases them and keeps their chats whole";

function isAdminRole(role: string | null | undefined): boolean {
  return (role ?? "").split(",").includes("admin");
}

/**
 * Parley's own rules for admin actions, checked before Better Auth runs them: an admin keeps
 * their own role, roles are `user` or `admin`, another admin is demoted before being banned,
 * a ban has a reason the banned user can read, and nobody is removed outright. A refusal is audited like
 * the action would have been.
 */
export async function checkAdminAction(ctx: AuthCallContext): Promise<void> {
  if (!GUARDED_PATHS.has(ctx.path)) return;
  const session = await getSessionFromCtx(ctx);
  // Better Auth's own admin check answers callers who are not admins.
  if (!session || !isAdminRole((session.user as { role?: string | null }).role)) return;
  const body = (ctx.body ?? {}) as { userId?: unknown; role?: unknown; banReason?: unknown };
  const targetId = typeof body.userId === "string" ? body.userId : null;

  const refuse = (message: string): never => {
    recordAuthAction(ctx, 400, { refused: message });
    throw APIError.fromStatus("BAD_REQUEST", { message });
  };

  // Better Auth's removal deletes the row and, through the foreign keys, what hangs off it in
  // chats. An account is erased instead (admin.users.requestDeletion), which keeps a "Deleted
  // user" in their place.
  if (ctx.path === "/admin/remove-user") refuse(REMOVE_USER_CLOSED);

  if (ctx.path === "/admin/set-role") {
    if (targetId === session.user.id) refuse("You cannot change your own role");
    const roles = Array.isArray(body.role) ? body.role : [body.role];
    if (!roles.every((r) => (USER_ROLES as readonly unknown[]).includes(r))) {
      refuse(`A role is one of: ${USER_ROLES.join(", ")}`);
    }
    return;
  }

  if (ctx.path === "/admin/ban-user") {
    const reason = banReasonSchema.safeParse(body.banReason ?? "");
    if (!reason.success) refuse(reason.error.issues[0]?.message ?? "Give a reason");
  }
  if (!targetId || targetId === session.user.id) return; // Better Auth refuses self-actions.
  const target = await ctx.context.internalAdapter.findUserById(targetId);
  const targetRole = (target as { role?: string | null } | null)?.role;
  if (target && isAdminRole(targetRole)) {
    refuse("Admins cannot be banned. Change their role to user first.");
  }
}
