import type { Metadata } from "next";
import { PageHeader } from "@/components/ui/page-header";
import { WorkspaceGeneral } from "@/components/workspaces/workspace-general";
import { requireSession } from "@/server/rsc/session";
import { getCurrentWorkspace } from "@/server/rsc/trpc";

export const metadata: Metadata = { title: "Workspace" };

export default async function WorkspacePage() {
  await requireSession("/workspace");
  const workspace = await getCurrentWorkspace();
  return (
    <>
      <PageHeader
        title={workspace.name}
        description="A workspace's chats and people are seen only by its members."
      />
      <WorkspaceGeneral workspace={workspace} />
    </>
  );
}
