import "server-only";

import { sql } from "drizzle-orm";
import { queryRows } from "@/db/rows";
import type { Tx } from "@/db/types";
import type {
  InvitationPreview,
  CurrentWorkspace,
  WorkspaceActivity,
  WorkspaceInvitation,
  WorkspaceMember,
  WorkspaceRoleView,
  WorkspaceSummary,
} from "@/contracts/workspaces";
import { WORKSPACE_ACTIVITY_PAGE } from "@/contracts/workspaces";
import { cursorTime, decodeTimeCursor, encodeTimeCursor } from "./time-cursor";
import { chatPermissionOf, isChatPermission } from "@/contracts/permissions";
import { AppError } from "@/server/errors";

const asDate = (value: string | Date) => (value instanceof Date ? value : new Date(value));

/** The caller's workspaces (all of them, or only the one the request runs in), by name. */
function myWorkspaces(params: { userId: string; currentOnly: boolean }) {
  return sql`
    select o.id, o.name, o.slug, o.logo, m.role,
      (select count(*)::int from public.member f where f."organizationId" = o.id) as "memberCount",
      coalesce(o.id = public.get_current_tenant_id(), false) as current,
      ${params.currentOnly ? sql`public.my_permissions()` : sql`null::text[]`} as permissions
    from public.member m
    join public.organization o on o.id = m."organizationId"
    where m."userId" = ${params.userId}::uuid
      ${params.currentOnly ? sql`and o.id = public.get_current_tenant_id()` : sql``}
    order by lower(o.name), o.id`;
}

/** The caller's workspaces, by name, with their role and which one the request runs in. */
export async function listMyWorkspaces(
  tx: Tx,
  params: { userId: string },
): Promise<WorkspaceSummary[]> {
  const rows = await queryRows<WorkspaceSummary & { permissions: null }>(
    tx,
    myWorkspaces({ ...params, currentOnly: false }),
  );
  return rows.map(({ permissions: _, ...row }) => row);
}

/** The workspace the request runs in, as the switcher shows it, with the caller's permissions. */
export async function currentWorkspace(
  tx: Tx,
  params: { userId: string },
): Promise<CurrentWorkspace> {
  const [row] = await queryRows<WorkspaceSummary & { permissions: string[] }>(
    tx,
    myWorkspaces({ ...params, currentOnly: true }),
  );
  if (!row) throw new AppError("NOT_FOUND", "Workspace not found");
  return { ...row, permissions: row.permissions.filter(isChatPermission) };
}

/** The members of the request's workspace: owners first, then by name. */
export async function listWorkspaceMembers(tx: Tx): Promise<WorkspaceMember[]> {
  const rows = await queryRows<Omit<WorkspaceMember, "joinedAt"> & { joinedAt: string | Date }>(
    tx,
    sql`
    select m.id as "memberId", u.id as "userId", u.name, u.image, m.role, m."createdAt" as "joinedAt"
    from public.member m
    join public."user" u on u.id = m."userId"
    where m."organizationId" = public.get_current_tenant_id()
    order by array_position(array['owner','admin','member','guest'], m.role), lower(u.name), u.id`,
  );
  return rows.map((row) => ({ ...row, joinedAt: asDate(row.joinedAt) }));
}

/**
 * The request's workspace's invitations that can still be accepted; only its owners and
 * admins see any (RLS), so for anyone else the list is empty.
 */
export async function listPendingInvitations(tx: Tx): Promise<WorkspaceInvitation[]> {
  const rows = await queryRows<
    Omit<WorkspaceInvitation, "createdAt" | "expiresAt"> & {
      createdAt: string | Date;
      expiresAt: string | Date;
    }
  >(
    tx,
    sql`
    select i.id, i.email, i.role, coalesce(u.name, '') as "inviterName", i."createdAt", i."expiresAt"
    from public.invitation i
    left join public."user" u on u.id = i."inviterId"
    where i."organizationId" = public.get_current_tenant_id()
      and i.status = 'pending' and i."expiresAt" > now()
    order by i."createdAt" desc, i.id`,
  );
  return rows.map((row) => ({
    ...row,
    createdAt: asDate(row.createdAt),
    expiresAt: asDate(row.expiresAt),
  }));
}

/** What an invitation link shows; NOT_FOUND for an id that names none. */
export async function previewInvitation(
  tx: Tx,
  params: { invitationId: string },
): Promise<InvitationPreview> {
  const [row] = await queryRows<
    Omit<InvitationPreview, "expiresAt"> & { expiresAt: string | Date }
  >(tx, sql`select * from public.invitation_preview(${params.invitationId}::uuid)`);
  if (!row) throw new AppError("NOT_FOUND", "Invitation not found");
  return { ...row, expiresAt: asDate(row.expiresAt) };
}

/** The request's workspace's roles, most powerful first, with what each may do in chats. */
export async function listWorkspaceRoles(tx: Tx): Promise<WorkspaceRoleView[]> {
  const rows = await queryRows<{
    role: WorkspaceRoleView["role"];
    actions: string[];
    memberCount: number;
  }>(
    tx,
    sql`
    select r.role,
      array(select jsonb_array_elements_text(r.permission::jsonb -> 'chat')) as actions,
      (select count(*)::int from public.member m
       where m."organizationId" = r."organizationId" and m.role = r.role) as "memberCount"
    from public.organization_role r
    where r."organizationId" = public.get_current_tenant_id()
    order by array_position(array['owner','admin','member','guest'], r.role), r.role`,
  );
  return rows.map((row) => ({
    role: row.role,
    memberCount: row.memberCount,
    permissions: row.actions.flatMap((action) => chatPermissionOf(action) ?? []),
  }));
}

/**
 * The request's workspace's activity, newest first, a page at a time; empty for anyone but
 * its owners and admins (workspace_activity() answers them only).
 */
export async function listWorkspaceActivity(
  tx: Tx,
  params: { cursor?: string },
): Promise<{ items: WorkspaceActivity[]; nextCursor: string | null }> {
  const after = params.cursor ? decodeTimeCursor(params.cursor) : null;
  const rows = await queryRows<
    Omit<WorkspaceActivity, "createdAt"> & { createdAt: string | Date; cursorAt: string }
  >(
    tx,
    sql`
    select a.id, a."createdAt", ${cursorTime(sql`a."createdAt"`)} as "cursorAt", a.action,
      a."actorName", a."targetName", a.email, a.role,
      (select array_agg(p) from jsonb_array_elements_text(
        case when jsonb_typeof(a.permissions) = 'array' then a.permissions else '[]'::jsonb end) p
      ) as permissions,
      a.name
    from public.workspace_activity(${after?.at ?? null}::timestamptz, ${after?.id ?? null}::uuid,
                                   ${WORKSPACE_ACTIVITY_PAGE + 1}) a`,
  );
  const page = rows.slice(0, WORKSPACE_ACTIVITY_PAGE);
  const last = page.at(-1);
  return {
    items: page.map(({ cursorAt: _, ...row }) => ({ ...row, createdAt: asDate(row.createdAt) })),
    nextCursor:
      rows.length > WORKSPACE_ACTIVITY_PAGE && last
        ? encodeTimeCursor(last.cursorAt, last.id)
        : null,
  };
}
