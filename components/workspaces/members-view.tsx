"use client";

import { useQueryClient, useSuspenseQuery } from "@tanstack/react-query";
import { useState } from "react";
import { Avatar } from "@/components/ui/avatar";
import { Badge } from "@/components/ui/badge";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { RelativeTime } from "@/components/ui/relative-time";
import { NativeSelect } from "@/components/ui/select";
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
import type { WorkspaceMember, WorkspaceSummary } from "@/contracts/workspaces";
import { useTRPC } from "@/lib/trpc/react";
import { changeMemberRole, removeFromWorkspace } from "@/lib/workspaces/actions";
import { assignableRoles, managesPeople, roleLabel } from "@/lib/workspaces/manage";

/** The workspace's people; owners and admins change roles and remove people here. */
export function MembersView({
  workspace,
  viewerId,
}: {
  workspace: WorkspaceSummary;
  viewerId: string;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { data: members } = useSuspenseQuery(trpc.workspaces.members.queryOptions());
  const { data: roles } = useSuspenseQuery(trpc.workspaces.roles.queryOptions());
  const roleNames = roles.map((role) => role.role);
  const manages = managesPeople(workspace.role);
  const refresh = () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: trpc.workspaces.members.queryKey() }),
      queryClient.invalidateQueries({ queryKey: trpc.workspaces.list.queryKey() }),
    ]);

  return (
    <Table>
      <TableCaption className="sr-only">Members of {workspace.name}</TableCaption>
      <TableHeader>
        <TableRow>
          <TableHead>Name</TableHead>
          <TableHead>Role</TableHead>
          <TableHead>Joined</TableHead>
          {manages ? (
            <TableHead>
              <span className="sr-only">Actions</span>
            </TableHead>
          ) : null}
        </TableRow>
      </TableHeader>
      <TableBody>
        {members.map((person) => (
          <TableRow key={person.memberId}>
            <TableCell>
              <span className="flex items-center gap-2">
                <Avatar name={person.name} image={person.image} />
                <span className="font-medium">{person.name}</span>
                {person.userId === viewerId ? <Badge variant="muted">You</Badge> : null}
              </span>
            </TableCell>
            <TableCell>
              <RoleCell
                workspace={workspace}
                person={person}
                roles={roleNames}
                editable={manages && person.userId !== viewerId}
                onChanged={refresh}
              />
            </TableCell>
            <TableCell>
              <RelativeTime value={person.joinedAt} />
            </TableCell>
            {manages ? (
              <TableCell className="text-right">
                {person.userId !== viewerId &&
                (workspace.role === "owner" || person.role !== "owner") ? (
                  <ConfirmDialog
                    trigger={
                      <button
                        type="button"
                        className="rounded-md px-2 py-1 text-sm font-medium text-destructive-text hover:bg-accent focus-visible:outline-2 focus-visible:outline-ring"
                      >
                        Remove<span className="sr-only"> {person.name}</span>
                      </button>
                    }
                    title={`Remove ${person.name} from ${workspace.name}?`}
                    description="They lose every chat of this workspace at once, including the ones open on their screen. Their messages stay."
                    confirmLabel="Remove"
                    pendingLabel="Removing…"
                    onConfirm={async () => {
                      await removeFromWorkspace(workspace.id, person.memberId);
                      toast.success(`${person.name} was removed from ${workspace.name}`);
                      await refresh();
                    }}
                  />
                ) : null}
              </TableCell>
            ) : null}
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

function RoleCell({
  workspace,
  person,
  roles: allRoles,
  editable,
  onChanged,
}: {
  workspace: WorkspaceSummary;
  person: WorkspaceMember;
  roles: readonly string[];
  editable: boolean;
  onChanged: () => Promise<unknown>;
}) {
  const [pending, setPending] = useState(false);
  const roles = assignableRoles(workspace.role, allRoles);
  // An admin cannot change an owner's role; only the roles one may give are offered.
  if (!editable || !roles.includes(person.role)) return <span>{roleLabel(person.role)}</span>;

  async function change(role: string) {
    setPending(true);
    try {
      await changeMemberRole(workspace.id, person.memberId, role);
      toast.success(`${person.name} is now ${roleLabel(role).toLowerCase()}`);
      await onChanged();
    } catch (error) {
      toast.error(error instanceof Error ? error.message : "The role was not changed");
    } finally {
      setPending(false);
    }
  }

  return (
    <NativeSelect
      aria-label={`Role of ${person.name}`}
      className="h-8 w-32"
      value={person.role}
      disabled={pending}
      onChange={(event) => {
        void change(event.target.value);
      }}
    >
      {roles.map((role) => (
        <option key={role} value={role}>
          {roleLabel(role)}
        </option>
      ))}
    </NativeSelect>
  );
}
