import "server-only";

import { getSessionFromCtx, isAPIError } from "better-auth/api";
import type { AuthCallContext } from "./auth-call";
import { decodeJwt } from "jose";
import { recordAudit } from "./audit/buffer";
import { WORKSPACE_AUDITED_PATHS, workspaceActionDetails } from "./workspaces/workspace-audit";

/** Better Auth endpoints whose every call belongs in the audit log. */
const AUDITED_PATHS = new Set([
  "/change-password",
  "/change-email",
  "/revoke-session",
  "/revoke-sessions",
  "/revoke-other-sessions",
  "/delete-user",
  "/admin/ban-user",
  "/admin/unban-user",
  "/admin/set-role",
  "/admin/set-user-password",
  "/admin/remove-user",
  "/admin/revoke-user-sessions",
  "/admin/impersonate-user",
  "/admin/stop-impersonating",
  "/two-factor/enable",
  "/two-factor/disable",
  "/two-factor/verify-totp",
  "/two-factor/verify-backup-code",
  "/two-factor/generate-backup-codes",
  "/passkey/verify-registration",
  "/passkey/verify-authentication",
  "/passkey/update-passkey",
  "/passkey/delete-passkey",
]);

/** "/admin/ban-user" → "admin.ban-user": the action name kept in `details.action`. */
export function authActionName(path: string): string {
  return path.replace(/^\//, "").replaceAll("/", ".");
}

interface SessionLike {
  user: { id: string };
  session: { impersonatedBy?: string | null };
}

interface AuthCallLike {
  path: string;
  body?: unknown;
  headers?: Headers;
  context: { session?: SessionLike | null; newSession?: { user: { id: string } } | null };
}

/** Who acted, and whose trail the row belongs to. */
function parties(ctx: AuthCallLike): { actorId: string | null; subjectId: string | null } {
  const session = ctx.context.session ?? null;
  const body = (ctx.body ?? {}) as { userId?: unknown };
  const target = typeof body.userId === "string" ? body.userId : null;
  if (ctx.path === "/admin/stop-impersonating") {
    // The session here is the impersonation session: the admin ends acting as its user.
    return {
      actorId: session?.session.impersonatedBy ?? session?.user.id ?? null,
      subjectId: session?.user.id ?? null,
    };
  }
  // A sign-in step (a second factor, a passkey) has no session before it, only after.
  const actorId = session?.user.id ?? ctx.context.newSession?.user.id ?? null;
  // A removed user's trail is gone with them: the row stays in the admin's own trail.
  if (ctx.path === "/admin/remove-user") return { actorId, subjectId: actorId };
  return { actorId, subjectId: target ?? actorId };
}

/** What the action was, beyond its name: never a password or a token. */
function actionDetails(ctx: AuthCallLike): Record<string, unknown> {
  const body = (ctx.body ?? {}) as Record<string, unknown>;
  const details: Record<string, unknown> = { action: authActionName(ctx.path) };
  if (typeof body.userId === "string") details.targetUserId = body.userId;
  if (ctx.path === "/admin/set-role") details.role = body.role;
  if (ctx.path === "/admin/ban-user") {
    details.reason = typeof body.banReason === "string" ? body.banReason : null;
    details.expiresInSeconds = typeof body.banExpiresIn === "number" ? body.banExpiresIn : null;
  }
  if (ctx.path === "/admin/stop-impersonating") {
    details.targetUserId = ctx.context.session?.user.id ?? null;
  }
  // The addresses stay out of the log: the account's own row and its mail say which they are.
  if (ctx.path === "/change-email") details.emailChange = "requested";
  return details;
}

/**
 * One audit row for a Better Auth action, in the same table and shape as audited tRPC
 * mutations (method `AUTH`, the path as endpoint). Also used for admin actions Parley refuses
 * before Better Auth runs them (see auth-admin-rules.ts).
 */
export function recordAuthAction(
  ctx: AuthCallLike,
  statusCode: number,
  extra?: Record<string, unknown>,
): void {
  const { actorId, subjectId } = parties(ctx);
  recordAudit({
    apiKeyId: null,
    userId: subjectId,
    actorId,
    endpoint: `/api/auth${ctx.path}`,
    method: "AUTH",
    statusCode,
    responseTime: null,
    ipAddress: ctx.headers?.get("x-forwarded-for") ?? null,
    userAgent: ctx.headers?.get("user-agent") ?? null,
    details: { ...actionDetails(ctx), ...extra },
  });
}

/**
 * The link that applies an email change, once Better Auth has applied it (it checked the
 * token's signature, so its claims are read here without checking it again). Ordinary
 * address confirmations are not audited.
 */
function recordEmailChangeApplied(ctx: { path: string; headers?: Headers; query?: unknown }) {
  const token = (ctx.query as { token?: unknown } | undefined)?.token;
  if (typeof token !== "string") return;
  let claims: Record<string, unknown>;
  try {
    claims = decodeJwt(token);
  } catch {
    return;
  }
  if (claims.requestType !== "change-email-verification" || typeof claims.userId !== "string") {
    return;
  }
  const call = {
    path: ctx.path,
    headers: ctx.headers,
    context: { session: { user: { id: claims.userId }, session: {} } },
  };
  recordAuthAction(call, 200, { emailChange: "applied" });
}

/**
 * Records password changes, bans, role changes, impersonation and the other admin actions
 * Better Auth performs, whether they succeed or fail. The subject of an admin action is the
 * user it was done to; the actor is the admin (for "stop impersonating", the admin behind the
 * impersonation session).
 */
export async function auditAuthCall(ctx: AuthCallContext): Promise<void> {
  const returned = ctx.context.returned;
  const status = isAPIError(returned) ? returned.statusCode : 200;
  if (AUDITED_PATHS.has(ctx.path)) recordAuthAction(ctx, status);
  // Parley's links carry no callbackURL, so an applied change answers 200, never a redirect.
  else if (ctx.path === "/verify-email" && !isAPIError(returned)) recordEmailChangeApplied(ctx);
  else if (WORKSPACE_AUDITED_PATHS.has(ctx.path)) {
    // The organization endpoints keep their session to themselves: read it from the cookie.
    const found = ctx.context.session ?? (await getSessionFromCtx(ctx).catch(() => null));
    const fields = (found?.session ?? {}) as {
      impersonatedBy?: string | null;
      activeOrganizationId?: string | null;
    };
    const session = found
      ? {
          user: { id: found.user.id },
          session: {
            impersonatedBy: fields.impersonatedBy ?? null,
            activeOrganizationId: fields.activeOrganizationId ?? null,
          },
        }
      : null;
    const call = {
      path: ctx.path,
      body: ctx.body as unknown,
      headers: ctx.headers,
      context: { returned, session },
    };
    recordAuthAction(call, status, workspaceActionDetails(call));
  }
}
