"use client";

import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "@/lib/trpc/react";

/** Roles that manage a workspace's webhooks (the database's own rule, can_manage_webhooks). */
const MANAGING_ROLES = new Set(["owner", "admin"]);

/**
 * The workspace this session is in, when the viewer manages its webhooks; null otherwise. The
 * signed-in frame has the workspace in the cache already, so this costs no request.
 */
export function useManagedWorkspace(): { name: string } | null {
  const trpc = useTRPC();
  const { data: workspace } = useQuery(trpc.workspaces.current.queryOptions());
  if (!workspace || !MANAGING_ROLES.has(workspace.role)) return null;
  return { name: workspace.name };
}
