import type { Metadata } from "next";
import { PageHeader } from "@/components/ui/page-header";
import { ActivityView } from "@/components/workspaces/activity-view";
import { managesPeople } from "@/lib/workspaces/manage";
import { requireSession } from "@/server/rsc/session";
import { getCurrentWorkspace, HydrateClient, prefetch, trpc } from "@/server/rsc/trpc";

export const metadata: Metadata = { title: "Workspace activity" };

export default async function WorkspaceActivityPage() {
  await requireSession("/workspace/activity");
  const workspace = await getCurrentWorkspace();
  if (!managesPeople(workspace.role)) {
    return (
      <PageHeader
        title="Activity"
        description="The workspace's owners and admins see who joined, left and was invited, and role changes."
      />
    );
  }
  prefetch(
    trpc.workspaces.activity.infiniteQueryOptions(
      {},
      { getNextPageParam: (page) => page.nextCursor ?? undefined },
    ),
  );
  return (
    <HydrateClient>
      <PageHeader
        title="Activity"
        description={`Changes to ${workspace.name}'s people, invitations and roles, newest first.`}
      />
      <ActivityView />
    </HydrateClient>
  );
}
