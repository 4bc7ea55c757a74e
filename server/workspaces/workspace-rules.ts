import "server-only";

import { APIError, getSessionFromCtx } from "better-auth/api";
import { and, eq } from "drizzle-orm";
import type { z } from "zod";
import { isUuid } from "@/contracts/uuid";
import { getDb } from "@/db/client";
import { member, organization } from "@/db/schema";
import { workspaceName, workspaceSlug } from "@/contracts/workspaces";
import { CHAT_ACTIONS } from "@/contracts/permissions";
import type { AuthCallContext } from "../auth-call";

function refuse(message: string): never {
  throw APIError.fromStatus("BAD_REQUEST", { message });
}

function check(schema: z.ZodType, value: unknown): void {
  const result = schema.safeParse(value);
  if (!result.success) refuse(result.error.issues[0]?.message ?? "Invalid value");
}

/**
 * A workspace's name and address follow the rules the database checks, so a bad one is a
 * 400 with a reason rather than a refused row; workspaces have no logo or metadata (nothing
 * a member's browser would fetch or show unchecked).
 */
export function checkWorkspaceWrite(ctx: AuthCallContext): void {
  if (ctx.path !== "/organization/create" && ctx.path !== "/organization/update") return;
  const body = (ctx.body ?? {}) as Record<string, unknown>;
  const data = (ctx.path === "/organization/create" ? body : (body.data ?? {})) as Record<
    string,
    unknown
  >;
  if (ctx.path === "/organization/create" || data.name !== undefined)
    check(workspaceName, data.name);
  if (ctx.path === "/organization/create" || data.slug !== undefined)
    check(workspaceSlug, data.slug);
  if (data.logo != null) refuse("Workspaces have no logo");
  if (data.metadata != null) refuse("Workspaces have no metadata");
}

/**
 * A session is always in one of its user's workspaces. Better Auth would leave a session in
 * none when it is asked to select a workspace its user is not in (or none at all); Parley
 * refuses the request instead, and the session stays where it was.
 */
export async function checkWorkspaceSelection(ctx: AuthCallContext): Promise<void> {
  if (ctx.path !== "/organization/set-active") return;
  const body = (ctx.body ?? {}) as { organizationId?: unknown; organizationSlug?: unknown };
  const session = await getSessionFromCtx(ctx);
  // Better Auth's own session check answers callers who are not signed in.
  if (!session) return;
  const byId = typeof body.organizationId === "string" ? body.organizationId : null;
  const bySlug = typeof body.organizationSlug === "string" ? body.organizationSlug : null;
  if (!byId && !bySlug) refuse("Choose a workspace");
  if (byId && !isUuid(byId)) refuse("No such workspace");
  const [row] = await getDb()
    .select({ id: member.id })
    .from(member)
    .innerJoin(organization, eq(organization.id, member.organizationId))
    .where(
      and(
        eq(member.userId, session.user.id),
        byId ? eq(organization.id, byId) : eq(organization.slug, bySlug!),
      ),
    )
    .limit(1);
  if (!row) {
    throw APIError.fromStatus("FORBIDDEN", { message: "You are not a member of that workspace" });
  }
}

const TEMPLATES = ["owner", "admin", "member", "guest"];
const ROLE_NAME = /^[a-z][a-z0-9-]{0,31}$/;

/** A role's chat permissions as Better Auth takes them: `{ chat: [actions] }`, reading included. */
function checkPermission(permission: unknown): void {
  const given = (permission ?? {}) as Record<string, unknown>;
  const keys = typeof given === "object" ? Object.keys(given) : [];
  const actions = keys.length === 1 && keys[0] === "chat" ? given.chat : null;
  if (!Array.isArray(actions) || !actions.every((a) => typeof a === "string")) {
    refuse('Give the permissions as { "chat": [actions] }');
  }
  const unknown = actions.find((a) => !CHAT_ACTIONS.includes(a));
  if (unknown !== undefined) refuse(`No such permission: chat.${String(unknown)}`);
  if (!actions.includes("view")) refuse("Every role reads the chats it is in (chat.view)");
  if (new Set(actions).size !== actions.length) refuse("Name each permission once");
}

/** One role, by name: never a list (Better Auth would join one into a name no role has). */
function checkRoleName(role: unknown): void {
  if (typeof role !== "string" || !ROLE_NAME.test(role)) {
    refuse("Use 1 to 32 lower-case letters, digits and hyphens, starting with a letter");
  }
}

/**
 * A workspace's roles: its four templates and roles of its own, each with the chat
 * permissions its owners and admins choose. A change names the role and gives
 * `{ chat: [actions] }` from the catalogue, reading chats always among them; the owner role
 * keeps them all; roles are not renamed. Better Auth then checks the one changing it holds
 * every permission they give, and the database checks the same values and keeps the templates
 * and every role someone holds (drizzle/0038, 0040).
 */
export function checkRoleChange(ctx: AuthCallContext): void {
  const body = (ctx.body ?? {}) as Record<string, unknown>;
  if (
    ctx.path === "/organization/invite-member" ||
    ctx.path === "/organization/update-member-role"
  ) {
    checkRoleName(body.role);
    return;
  }
  if (ctx.path === "/organization/create-role") {
    checkRoleName(body.role);
    if (TEMPLATES.includes(body.role as string)) {
      refuse("Owner, admin, member and guest are every workspace's already");
    }
    checkPermission(body.permission);
    return;
  }
  if (ctx.path === "/organization/delete-role") {
    if (typeof body.roleName !== "string") refuse("Name the role to remove");
    return;
  }
  if (ctx.path !== "/organization/update-role") return;
  if (typeof body.roleName !== "string") refuse("Name the role to change");
  if (body.roleName === "owner") refuse("The owner role has every permission");
  const data = (body.data ?? {}) as { roleName?: unknown; permission?: unknown };
  if (data.roleName !== undefined) refuse("Roles cannot be renamed");
  if (data.permission !== undefined) checkPermission(data.permission);
}
