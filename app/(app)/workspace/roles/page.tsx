import type { Metadata } from "next";
import { PageHeader } from "@/components/ui/page-header";
import { RolesView } from "@/components/workspaces/roles-view";
import { requireSession } from "@/server/rsc/session";
import { getCurrentWorkspace, HydrateClient, prefetch, trpc } from "@/server/rsc/trpc";

export const metadata: Metadata = { title: "Workspace roles" };

export default async function WorkspaceRolesPage() {
  await requireSession("/workspace/roles");
  const workspace = await getCurrentWorkspace();
  prefetch(trpc.workspaces.roles.queryOptions());
  return (
    <HydrateClient>
      <PageHeader
        title="Roles"
        description={`What each role may do in ${workspace.name}'s chats. In a group, its owner and admins manage it only while their workspace role lets them.`}
      />
      <RolesView workspace={workspace} />
    </HydrateClient>
  );
}
