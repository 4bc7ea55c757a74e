import type { ReactNode } from "react";
import { WorkspaceNav } from "@/components/workspaces/workspace-nav";

export default function WorkspaceLayout({ children }: { children: ReactNode }) {
  return (
    <div className="flex flex-col gap-6 2xl:flex-row 2xl:gap-10">
      <div className="2xl:w-48 2xl:shrink-0">
        <WorkspaceNav />
      </div>
      <div className="min-w-0 flex-1">{children}</div>
    </div>
  );
}
