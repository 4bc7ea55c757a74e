"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useEffect } from "react";
import { toast } from "@/components/ui/toaster";
import { setFlash, takeFlash } from "@/lib/flash";
import { useRealtime } from "@/lib/realtime/provider";
import { useUserChannel } from "@/lib/realtime/hooks";
import { openAfterSessionChange } from "@/lib/session-change";
import { useTRPC } from "@/lib/trpc/react";

/**
 * Leaving the workspace a page is in (or being removed from it) reloads the app in the
 * workspace the session moved to, and says why; leaving another one updates the switcher.
 */
export function WorkspaceWatcher({ workspaceName }: { workspaceName: string }) {
  const { organizationId } = useRealtime();
  const trpc = useTRPC();
  const queryClient = useQueryClient();

  useEffect(() => {
    const message = takeFlash();
    if (message) toast.info(message);
  }, []);

  useUserChannel({
    "workspace.left": (left) => {
      if (left.organizationId !== organizationId) {
        void queryClient.invalidateQueries({ queryKey: trpc.workspaces.list.queryKey() });
        return;
      }
      setFlash(`You are no longer a member of ${workspaceName}.`);
      openAfterSessionChange("/chat");
    },
  });
  return null;
}
