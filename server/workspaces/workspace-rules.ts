import "server-only";

import { APIError, getSessionFromCtx } from "better-auth/api";
import { and, eq } from "drizzle-orm";
import type { z } from "zod";
import { isUuid } from "@/contracts/uuid";
import { getDb } from "@/db/client";
import { member, organization } from "@/db/schema";
import { workspaceName, workspaceSlug } from "@/contracts/workspaces";
import { CHAT_ACTIONS } from "@/lib/workspaces/roles";
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

/** Roles whose chat permissions a workspace changes (its owners always have them all). */
const EDITABLE_ROLES = ["admin", "member", "guest"];

/**
 * A workspace's roles are its four templates, each with the chat permissions its owners and
 * admins choose: a change names the role and gives `{ chat: [actions] }` from the catalogue,
 * reading chats always among them. Better Auth then checks the one changing it holds every
 * permission they give; the database checks the same shape (organization_role_permission).
 */
export function checkRoleChange(ctx: AuthCallContext): void {
  if (ctx.path === "/organization/create-role" || ctx.path === "/organization/delete-role") {
    refuse("A workspace's roles are owner, admin, member and guest: change what each may do");
  }
  if (ctx.path !== "/organization/update-role") return;
  const body = (ctx.body ?? {}) as { roleName?: unknown; roleId?: unknown; data?: unknown };
  if (typeof body.roleName !== "string") refuse("Name the role to change");
  if (body.roleName === "owner") refuse("The owner role has every permission");
  if (!EDITABLE_ROLES.includes(body.roleName)) refuse("No such role");
  const data = (body.data ?? {}) as { roleName?: unknown; permission?: unknown };
  if (data.roleName !== undefined) refuse("Roles cannot be renamed");
  const permission = data.permission as Record<string, unknown> | undefined;
  if (permission === undefined) return;
  const keys = typeof permission === "object" && permission !== null ? Object.keys(permission) : [];
  const actions = keys.length === 1 && keys[0] === "chat" ? permission.chat : null;
  if (!Array.isArray(actions) || !actions.every((a) => typeof a === "string")) {
    refuse('Give the permissions as { "chat": [actions] }');
  }
  const unknown = actions.find((a) => !(CHAT_ACTIONS as readonly string[]).includes(a));
  if (unknown !== undefined) refuse(`No such permission: chat.${String(unknown)}`);
  if (!actions.includes("view")) refuse("Every role reads the chats it is in (chat.view)");
  if (new Set(actions).size !== actions.length) refuse("Name each permission once");
}
