import type { Metadata } from "next";
import { PageHeader } from "@/components/ui/page-header";
import { InvitationsView } from "@/components/workspaces/invitations-view";
import { InviteDialog } from "@/components/workspaces/invite-dialog";
import { managesPeople } from "@/lib/workspaces/manage";
import { requireSession } from "@/server/rsc/session";
import { getCurrentWorkspace, HydrateClient, prefetch, trpc } from "@/server/rsc/trpc";

export const metadata: Metadata = { title: "Workspace invitations" };

export default async function WorkspaceInvitationsPage() {
  await requireSession("/workspace/invitations");
  const workspace = await getCurrentWorkspace();
  if (!managesPeople(workspace.role)) {
    return (
      <PageHeader
        title="Invitations"
        description="The workspace's owners and admins invite people and see who is invited."
      />
    );
  }
  prefetch(trpc.workspaces.invitations.queryOptions());
  return (
    <HydrateClient>
      <PageHeader
        title="Invitations"
        description="Invitations not yet answered. A link works once, until it expires."
        actions={<InviteDialog workspaceId={workspace.id} workspaceName={workspace.name} />}
      />
      <InvitationsView workspace={workspace} />
    </HydrateClient>
  );
}
