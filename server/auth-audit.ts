import { createAuthMiddleware, isAPIError } from "better-auth/api";
import { recordAudit } from "./audit/buffer";

/** Better Auth endpoints whose every call belongs in the audit log. */
const AUDITED_PATHS = new Set([
  "/change-password",
  "/change-email",
  "/delete-user",
  "/admin/ban-user",
  "/admin/unban-user",
  "/admin/set-role",
  "/admin/set-user-password",
  "/admin/remove-user",
  "/admin/revoke-user-sessions",
  "/admin/impersonate-user",
]);

/**
 * Records password changes, bans and the other admin actions Better Auth performs, in the
 * same table and shape as audited tRPC mutations (method TRPC-style `AUTH`, the path as
 * endpoint). The subject of an admin action is the user it was done to.
 */
export const auditAuthActions = createAuthMiddleware(async (ctx) => {
  if (!AUDITED_PATHS.has(ctx.path)) return;
  const returned = ctx.context.returned;
  const actorId = ctx.context.session?.user.id ?? null;
  const body = (ctx.body ?? {}) as { userId?: unknown };
  const subject = typeof body.userId === "string" ? body.userId : actorId;
  recordAudit({
    apiKeyId: null,
    userId: subject,
    actorId,
    endpoint: `/api/auth${ctx.path}`,
    method: "AUTH",
    statusCode: isAPIError(returned) ? returned.statusCode : 200,
    responseTime: null,
    ipAddress: ctx.headers?.get("x-forwarded-for") ?? null,
    userAgent: ctx.headers?.get("user-agent") ?? null,
    details: { action: ctx.path.replace(/^\//, "").replaceAll("/", ".") },
  });
  return Promise.resolve();
});
