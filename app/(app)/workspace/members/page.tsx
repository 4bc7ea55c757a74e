import type { Metadata } from "next";
import { PageHeader } from "@/components/ui/page-header";
import { InviteDialog } from "@/components/workspaces/invite-dialog";
import { MembersView } from "@/components/workspaces/members-view";
import { managesPeople } from "@/lib/workspaces/manage";
import { requireSession } from "@/server/rsc/session";
import { getCurrentWorkspace, HydrateClient, prefetch, trpc } from "@/server/rsc/trpc";

export const metadata: Metadata = { title: "Workspace members" };

export default async function WorkspaceMembersPage() {
  const session = await requireSession("/workspace/members");
  const workspace = await getCurrentWorkspace();
  prefetch(trpc.workspaces.members.queryOptions());
  prefetch(trpc.workspaces.roles.queryOptions());
  return (
    <HydrateClient>
      <PageHeader
        title="Members"
        description={`Everyone in ${workspace.name}. Guests see only the chats they are added to.`}
        actions={
          managesPeople(workspace.role) ? (
            <InviteDialog workspaceId={workspace.id} workspaceName={workspace.name} />
          ) : null
        }
      />
      <MembersView workspace={workspace} viewerId={session.user.id} />
    </HydrateClient>
  );
}
