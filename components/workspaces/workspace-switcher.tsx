"use client";

import { useQuery } from "@tanstack/react-query";
import { Check, ChevronsUpDown, Plus, Settings } from "lucide-react";
import Link from "next/link";
import { useState } from "react";
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuLabel,
  DropdownMenuSeparator,
  DropdownMenuTrigger,
} from "@/components/ui/dropdown-menu";
import { toast } from "@/components/ui/toaster";
import type { WorkspaceSummary } from "@/contracts/workspaces";
import { openAfterSessionChange } from "@/lib/session-change";
import { useTRPC } from "@/lib/trpc/react";
import { switchWorkspace } from "@/lib/workspaces/actions";
import { CreateWorkspaceDialog } from "./create-workspace-dialog";

/**
 * Which workspace the app shows, and the way to another. Switching reloads the app: every
 * query, channel and realtime token belongs to the workspace it was made in.
 */
export function WorkspaceSwitcher({ current }: { current: WorkspaceSummary }) {
  const trpc = useTRPC();
  const { data: workspaces = [current] } = useQuery(trpc.workspaces.list.queryOptions());
  const [creating, setCreating] = useState(false);

  async function open(workspace: WorkspaceSummary) {
    if (workspace.id === current.id) return;
    try {
      await switchWorkspace(workspace.id);
      openAfterSessionChange("/chat");
    } catch (error) {
      toast.error(error instanceof Error ? error.message : "Could not switch workspace");
    }
  }

  return (
    <>
      <DropdownMenu>
        <DropdownMenuTrigger
          aria-label={`Workspace: ${current.name}. Switch workspace`}
          className="flex w-full items-center gap-2 rounded-md px-3 py-2 text-left text-sm font-medium hover:bg-accent focus-visible:outline-2 focus-visible:outline-ring"
        >
          <span className="min-w-0 flex-1 truncate" data-testid="current-workspace">
            {current.name}
          </span>
          <ChevronsUpDown aria-hidden="true" className="size-4 shrink-0 text-muted-foreground" />
        </DropdownMenuTrigger>
        <DropdownMenuContent align="start" className="w-64">
          <DropdownMenuLabel>Workspaces</DropdownMenuLabel>
          {workspaces.map((workspace) => (
            <DropdownMenuItem
              key={workspace.id}
              aria-current={workspace.id === current.id ? "true" : undefined}
              onSelect={() => void open(workspace)}
            >
              <Check
                aria-hidden="true"
                className={workspace.id === current.id ? "" : "invisible"}
              />
              <span className="min-w-0 flex-1 truncate">{workspace.name}</span>
              <span className="text-xs text-muted-foreground">
                {workspace.memberCount === 1 ? "Just you" : `${workspace.memberCount} members`}
              </span>
            </DropdownMenuItem>
          ))}
          <DropdownMenuSeparator />
          <DropdownMenuItem asChild>
            <Link href="/workspace">
              <Settings aria-hidden="true" />
              Workspace settings
            </Link>
          </DropdownMenuItem>
          <DropdownMenuItem onSelect={() => setCreating(true)}>
            <Plus aria-hidden="true" />
            Create a workspace…
          </DropdownMenuItem>
        </DropdownMenuContent>
      </DropdownMenu>
      <CreateWorkspaceDialog open={creating} onOpenChange={setCreating} />
    </>
  );
}
