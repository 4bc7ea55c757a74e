"use client";

import { useQueryClient, useSuspenseQuery } from "@tanstack/react-query";
import { useState } from "react";
import { Checkbox } from "@/components/ui/checkbox";
import {
  Table,
  TableBody,
  TableCaption,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
} from "@/components/ui/table";
import { toast } from "@/components/ui/toaster";
import {
  CHAT_PERMISSIONS,
  FIXED_PERMISSIONS,
  PERMISSION_DESCRIPTIONS,
  type ChatPermission,
} from "@/contracts/permissions";
import {
  isWorkspaceRole,
  type WorkspaceRoleView,
  type WorkspaceSummary,
} from "@/contracts/workspaces";
import { useTRPC } from "@/lib/trpc/react";
import { deleteRole, setRolePermissions } from "@/lib/workspaces/actions";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { NewRoleDialog } from "./new-role-dialog";
import { managesPeople, roleLabel } from "@/lib/workspaces/manage";

/**
 * What each role may do in the workspace's chats, as a grid. Owners and admins change it;
 * the owner role has everything, every role reads its chats, and nobody gives a permission
 * they do not hold themselves.
 */
export function RolesView({ workspace }: { workspace: WorkspaceSummary }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { data: roles } = useSuspenseQuery(trpc.workspaces.roles.queryOptions());
  const [pending, setPending] = useState<string | null>(null);
  const mine = new Set(roles.find((r) => r.role === workspace.role)?.permissions ?? []);
  const edits = managesPeople(workspace.role);

  async function toggle(role: WorkspaceRoleView, permission: ChatPermission, on: boolean) {
    const key = `${role.role}:${permission}`;
    setPending(key);
    const next = on
      ? [...role.permissions, permission]
      : role.permissions.filter((p) => p !== permission);
    try {
      await setRolePermissions(workspace.id, role.role, next);
      toast.success(
        `${roleLabel(role.role)}s ${on ? "may now" : "may no longer"}: ${PERMISSION_DESCRIPTIONS[permission].toLowerCase()}`,
      );
      await queryClient.invalidateQueries({ queryKey: trpc.workspaces.roles.queryKey() });
    } catch (error) {
      toast.error(error instanceof Error ? error.message : "The role was not changed");
    } finally {
      setPending(null);
    }
  }

  function lockedReason(role: WorkspaceRoleView, permission: ChatPermission): string | null {
    if (!edits) return "Only the workspace's owners and admins change roles";
    if (role.role === "owner") return "Owners can do everything";
    if (FIXED_PERMISSIONS.includes(permission)) return "Every role reads the chats it is in";
    if (!mine.has(permission)) return "You can only give permissions you have";
    return null;
  }

  return (
    <div className="space-y-4">
      {edits ? (
        <div className="flex justify-end">
          <NewRoleDialog workspaceId={workspace.id} roles={roles} mine={mine} />
        </div>
      ) : null}
      <Table>
        <TableCaption className="sr-only">What each role may do in {workspace.name}</TableCaption>
        <TableHeader>
          <TableRow>
            <TableHead>Permission</TableHead>
            {roles.map((role) => (
              <TableHead key={role.role} className="text-center">
                {roleLabel(role.role)}
                <span className="block text-xs font-normal text-muted-foreground">
                  {role.memberCount === 1 ? "1 person" : `${role.memberCount} people`}
                </span>
                {edits && !isWorkspaceRole(role.role) && role.memberCount === 0 ? (
                  <ConfirmDialog
                    trigger={
                      <Button variant="ghost" size="sm" className="text-destructive-text">
                        Remove<span className="sr-only"> the role {roleLabel(role.role)}</span>
                      </Button>
                    }
                    title={`Remove the role ${roleLabel(role.role)}?`}
                    description="Nobody holds it now. It can be made again later."
                    confirmLabel="Remove role"
                    pendingLabel="Removing…"
                    onConfirm={async () => {
                      await deleteRole(workspace.id, role.role);
                      toast.success(`Role “${roleLabel(role.role)}” removed`);
                      await queryClient.invalidateQueries({
                        queryKey: trpc.workspaces.roles.queryKey(),
                      });
                    }}
                  />
                ) : null}
              </TableHead>
            ))}
          </TableRow>
        </TableHeader>
        <TableBody>
          {CHAT_PERMISSIONS.map((permission) => (
            <TableRow key={permission}>
              <TableCell>
                <span className="block font-medium">{PERMISSION_DESCRIPTIONS[permission]}</span>
                <code className="text-xs text-muted-foreground">{permission}</code>
              </TableCell>
              {roles.map((role) => {
                const locked = lockedReason(role, permission);
                const key = `${role.role}:${permission}`;
                return (
                  <TableCell key={role.role} className="text-center">
                    <Checkbox
                      aria-label={`${roleLabel(role.role)}: ${PERMISSION_DESCRIPTIONS[permission]}`}
                      title={locked ?? undefined}
                      checked={role.permissions.includes(permission)}
                      disabled={locked !== null || pending !== null}
                      aria-busy={pending === key}
                      onCheckedChange={(next) => void toggle(role, permission, next === true)}
                    />
                  </TableCell>
                );
              })}
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </div>
  );
}
