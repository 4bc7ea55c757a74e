"use client";

import { useQueryClient, useSuspenseQuery } from "@tanstack/react-query";
import { MailPlus } from "lucide-react";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { EmptyState } from "@/components/ui/empty-state";
import { RelativeTime } from "@/components/ui/relative-time";
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
import type { WorkspaceInvitation, WorkspaceSummary } from "@/contracts/workspaces";
import { useTRPC } from "@/lib/trpc/react";
import { resendInvitation, revokeInvitation } from "@/lib/workspaces/actions";
import { roleLabel } from "@/lib/workspaces/manage";

/** Invitations not yet answered: resend, copy the link, or revoke. */
export function InvitationsView({ workspace }: { workspace: WorkspaceSummary }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { data: invitations } = useSuspenseQuery(trpc.workspaces.invitations.queryOptions());
  const refresh = () =>
    queryClient.invalidateQueries({ queryKey: trpc.workspaces.invitations.queryKey() });

  if (invitations.length === 0) {
    return (
      <EmptyState
        icon={<MailPlus aria-hidden="true" />}
        title="No invitations waiting"
        description="People you invite show here until they join, and you can resend or revoke their invitation."
      />
    );
  }

  return (
    <Table>
      <TableCaption className="sr-only">Invitations to {workspace.name}</TableCaption>
      <TableHeader>
        <TableRow>
          <TableHead>Email</TableHead>
          <TableHead>Role</TableHead>
          <TableHead>Invited by</TableHead>
          <TableHead>Expires</TableHead>
          <TableHead>
            <span className="sr-only">Actions</span>
          </TableHead>
        </TableRow>
      </TableHeader>
      <TableBody>
        {invitations.map((invitation) => (
          <TableRow key={invitation.id}>
            <TableCell className="font-medium break-all">{invitation.email}</TableCell>
            <TableCell>{roleLabel(invitation.role)}</TableCell>
            <TableCell>{invitation.inviterName || "Someone who left"}</TableCell>
            <TableCell>
              <RelativeTime value={invitation.expiresAt} />
            </TableCell>
            <TableCell>
              <InvitationActions
                workspace={workspace}
                invitation={invitation}
                onChanged={refresh}
              />
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

function InvitationActions({
  workspace,
  invitation,
  onChanged,
}: {
  workspace: WorkspaceSummary;
  invitation: WorkspaceInvitation;
  onChanged: () => Promise<unknown>;
}) {
  const [resending, setResending] = useState(false);

  async function resend() {
    setResending(true);
    try {
      await resendInvitation(workspace.id, invitation.email, invitation.role);
      toast.success(`Invitation sent again to ${invitation.email}`);
      await onChanged();
    } catch (error) {
      toast.error(error instanceof Error ? error.message : "The invitation was not sent");
    } finally {
      setResending(false);
    }
  }

  async function copyLink() {
    const link = new URL(`/invite/${invitation.id}`, window.location.origin).href;
    try {
      await navigator.clipboard.writeText(link);
      toast.success("Invitation link copied");
    } catch {
      toast.error(`Copy this link: ${link}`);
    }
  }

  return (
    <div className="flex flex-wrap justify-end gap-1">
      <Button variant="ghost" size="sm" onClick={() => void copyLink()}>
        Copy link<span className="sr-only"> for {invitation.email}</span>
      </Button>
      <Button variant="ghost" size="sm" disabled={resending} onClick={() => void resend()}>
        {resending ? "Sending…" : "Resend"}
        <span className="sr-only"> the invitation to {invitation.email}</span>
      </Button>
      <ConfirmDialog
        trigger={
          <Button variant="ghost" size="sm" className="text-destructive-text">
            Revoke<span className="sr-only"> the invitation to {invitation.email}</span>
          </Button>
        }
        title={`Revoke the invitation to ${invitation.email}?`}
        description="The link in their mail stops working. You can invite them again later."
        confirmLabel="Revoke"
        pendingLabel="Revoking…"
        onConfirm={async () => {
          await revokeInvitation(invitation.id);
          toast.success(`Invitation to ${invitation.email} revoked`);
          await onChanged();
        }}
      />
    </div>
  );
}
